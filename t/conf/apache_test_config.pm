# WARNING: this file is generated, do not edit
# generated on Wed Nov 25 22:15:08 2026
# 01: /usr/lib/x86_64-linux-gnu/perl5/5.36/Apache/TestConfig.pm:1007
# 02: /usr/lib/x86_64-linux-gnu/perl5/5.36/Apache/TestConfig.pm:1025
# 03: /usr/lib/x86_64-linux-gnu/perl5/5.36/Apache/TestConfig.pm:1941
# 04: /usr/lib/x86_64-linux-gnu/perl5/5.36/Apache/TestRun.pm:503
# 05: /usr/lib/x86_64-linux-gnu/perl5/5.36/Apache/TestRun.pm:713
# 06: /usr/lib/x86_64-linux-gnu/perl5/5.36/Apache/TestRun.pm:713
# 07: /work/main/t/TEST.PL:32

package apache_test_config;

sub new {
    bless( {
         'httpd_basedir' => '/usr',
         'httpd_defines' => {
                              'SUEXEC_BIN' => '/usr/lib/apache2/suexec',
                              'APR_HAS_OTHER_CHILD' => 1,
                              'AP_HAVE_RELIABLE_PIPED_LOGS' => 1,
                              'SINGLE_LISTEN_UNSERIALIZED_ACCEPT' => 1,
                              'APR_USE_PROC_PTHREAD_SERIALIZE' => 1,
                              'APR_HAS_SENDFILE' => 1,
                              'DEFAULT_SCOREBOARD' => 'logs/apache_runtime_status',
                              'AP_TYPES_CONFIG_FILE' => 'mime.types',
                              'APR_USE_PTHREAD_SERIALIZE' => 1,
                              'APR_HAVE_IPV6 (IPv4-mapped addresses enabled)' => 1,
                              'HTTPD_ROOT' => '/etc/apache2',
                              'APR_HAS_MMAP' => 1,
                              'SERVER_CONFIG_FILE' => 'apache2.conf',
                              'DYNAMIC_MODULE_LIMIT' => '256',
                              'DEFAULT_PIDLOG' => '/run/apache2.pid',
                              'DEFAULT_ERRORLOG' => 'logs/error_log'
                            },
         'postamble_hooks' => [
                                sub { "DUMMY" }
                              ],
         'save' => 1,
         'verbose' => undef,
         '_apxs' => {
                      'LIBEXECDIR' => '/usr/lib/apache2/modules',
                      'BINDIR' => '/usr/bin',
                      'TARGET' => 'apache2',
                      'SBINDIR' => '/usr/sbin',
                      'SYSCONFDIR' => '/etc/apache2'
                    },
         'vars' => {
                     't_dir' => '/work/main/t',
                     'access_module' => 'mod_authz_host.c',
                     't_logs' => '/work/main/t/logs',
                     'cgi_module_name' => 'mod_cgid',
                     'sbindir' => '/usr/sbin',
                     'maxspare' => 2,
                     'scheme' => 'http',
                     'threadsperchild' => 10,
                     'servername' => 'localhost',
                     'maxsparethreadedmpm' => 20,
                     'src_dir' => undef,
                     'minclients' => 1,
                     'top_dir' => '/work/main',
                     'php_module_name' => 'sapi_apache2',
                     'bindir' => '/usr/bin',
                     'maxclients' => 3,
                     't_conf' => '/work/main/t/conf',
                     't_conf_file' => '/work/main/t/conf/httpd.conf',
                     'apxs' => '/usr/bin/apxs',
                     'thread_module_name' => 'worker',
                     'serveradmin' => 'webmaster@localhost',
                     'startserversthreadedmpm' => 1,
                     'ssl_module_name' => 'mod_ssl',
                     'perlpod' => '/usr/share/perl/5.36/pod',
                     'limitrequestlinex2' => 256,
                     'maxclientsthreadedmpm' => 30,
                     'cgi_module' => 'mod_cgid.c',
                     'httpd' => '/usr/sbin/apache2',
                     'auth_module_name' => 'mod_auth_basic',
                     'sslcaorg' => 'asf',
                     'limitrequestline' => 128,
                     'perl' => '/usr/bin/perl',
                     'minclientsthreadedmpm' => 10,
                     't_pid_file' => '/work/main/t/logs/httpd.pid',
                     'group' => 'nogroup',
                     'maxclients_preset' => 0,
                     'thread_module' => 'worker.c',
                     'remote_addr' => '127.0.0.1',
                     'auth_module' => 'mod_auth_basic.c',
                     'inherit_documentroot' => '/var/www/html',
                     'sslca' => '/work/main/t/conf/ssl/ca',
                     'sslproto' => 'all',
                     'access_module_name' => 'mod_authz_host',
                     'httpd_conf' => '/etc/apache2/httpd.conf',
                     'target' => 'apache2',
                     'documentroot' => '/work/main/t/htdocs',
                     'php_module' => 'sapi_apache2.c',
                     'user' => 'nobody',
                     'proxyssl_url' => '',
                     't_state' => '/work/main/t/state',
                     'conf_dir' => '/etc/apache2',
                     'port' => 8529,
                     'ssl_module' => 'mod_ssl.c',
                     'serverroot' => '/work/main/t',
                     'defines' => '',
                     'proxy' => 'off',
                     'httpd_conf_extra' => '/work/main/build/modules.conf'
                   },
         'APXS' => '/usr/bin/apxs',
         'postamble' => [
                          '<IfModule mod_mime.c>
    TypesConfig "/etc/mime.types"
</IfModule>
',
                          'Include "/work/main/t/conf/extra.conf"
',
                          '
'
                        ],
         'mpm' => '',
         'cmodules_disabled' => {},
         'preamble' => [
                         '<IfModule !mod_access_compat.c>
    LoadModule access_compat_module "/usr/lib/apache2/modules/mod_access_compat.so"
</IfModule>
',
                         '<IfModule !mod_alias.c>
    LoadModule alias_module "/usr/lib/apache2/modules/mod_alias.so"
</IfModule>
',
                         '<IfModule !mod_auth_basic.c>
    LoadModule auth_basic_module "/usr/lib/apache2/modules/mod_auth_basic.so"
</IfModule>
',
                         '<IfModule !mod_authn_core.c>
    LoadModule authn_core_module "/usr/lib/apache2/modules/mod_authn_core.so"
</IfModule>
',
                         '<IfModule !mod_authn_file.c>
    LoadModule authn_file_module "/usr/lib/apache2/modules/mod_authn_file.so"
</IfModule>
',
                         '<IfModule !mod_authz_core.c>
    LoadModule authz_core_module "/usr/lib/apache2/modules/mod_authz_core.so"
</IfModule>
',
                         '<IfModule !mod_authz_host.c>
    LoadModule authz_host_module "/usr/lib/apache2/modules/mod_authz_host.so"
</IfModule>
',
                         '<IfModule !mod_authz_user.c>
    LoadModule authz_user_module "/usr/lib/apache2/modules/mod_authz_user.so"
</IfModule>
',
                         '<IfModule !mod_autoindex.c>
    LoadModule autoindex_module "/usr/lib/apache2/modules/mod_autoindex.so"
</IfModule>
',
                         '<IfModule !mod_deflate.c>
    LoadModule deflate_module "/usr/lib/apache2/modules/mod_deflate.so"
</IfModule>
',
                         '<IfModule !mod_dir.c>
    LoadModule dir_module "/usr/lib/apache2/modules/mod_dir.so"
</IfModule>
',
                         '<IfModule !mod_env.c>
    LoadModule env_module "/usr/lib/apache2/modules/mod_env.so"
</IfModule>
',
                         '<IfModule !mod_filter.c>
    LoadModule filter_module "/usr/lib/apache2/modules/mod_filter.so"
</IfModule>
',
                         '<IfModule !mod_mime.c>
    LoadModule mime_module "/usr/lib/apache2/modules/mod_mime.so"
</IfModule>
',
                         '<IfModule !mod_mpm_event.c>
    LoadModule mpm_event_module "/usr/lib/apache2/modules/mod_mpm_event.so"
</IfModule>
',
                         '<IfModule !mod_negotiation.c>
    LoadModule negotiation_module "/usr/lib/apache2/modules/mod_negotiation.so"
</IfModule>
',
                         '<IfModule !mod_perl.c>
    LoadModule perl_module "/usr/lib/apache2/modules/mod_perl.so"
</IfModule>
',
                         '<IfModule !mod_reqtimeout.c>
    LoadModule reqtimeout_module "/usr/lib/apache2/modules/mod_reqtimeout.so"
</IfModule>
',
                         '<IfModule !mod_setenvif.c>
    LoadModule setenvif_module "/usr/lib/apache2/modules/mod_setenvif.so"
</IfModule>
',
                         '<IfModule !mod_status.c>
    LoadModule status_module "/usr/lib/apache2/modules/mod_status.so"
</IfModule>
',
                         '<IfModule !mod_geotag.c>
    LoadModule geotag_module "/work/main/.libs/mod_geotag.so"
</IfModule>
',
                         '<IfModule !mod_socache_shmcb.c>
    LoadModule socache_shmcb_module "/usr/lib/apache2/modules/mod_socache_shmcb.so"
</IfModule>
',
                         '<IfModule !mod_headers.c>
    LoadModule headers_module "/usr/lib/apache2/modules/mod_headers.so"
</IfModule>
',
                         '<IfModule !mod_bucketeer.c>
    LoadModule bucketeer_module "/usr/lib/apache2/modules/mod_bucketeer.so"
</IfModule>
',
                         '<IfModule !mod_deflate.c>
    LoadModule deflate_module "/usr/lib/apache2/modules/mod_deflate.so"
</IfModule>
',
                         '<IfModule !mod_filter.c>
    LoadModule filter_module "/usr/lib/apache2/modules/mod_filter.so"
</IfModule>
',
                         '<IfModule !mod_proxy.c>
    LoadModule proxy_module "/usr/lib/apache2/modules/mod_proxy.so"
</IfModule>
',
                         '<IfModule !mod_proxy_http.c>
    LoadModule proxy_http_module "/usr/lib/apache2/modules/mod_proxy_http.so"
</IfModule>
',
                         '<IfModule !mod_cgid.c>
    LoadModule cgid_module "/usr/lib/apache2/modules/mod_cgid.so"
</IfModule>
',
                         '<IfModule !mod_include.c>
    LoadModule include_module "/usr/lib/apache2/modules/mod_include.so"
</IfModule>
',
                         '<IfModule !mod_status.c>
    LoadModule status_module "/usr/lib/apache2/modules/mod_status.so"
</IfModule>
',
                         '<IfModule !mod_setenvif.c>
    LoadModule setenvif_module "/usr/lib/apache2/modules/mod_setenvif.so"
</IfModule>
',
                         '<IfModule !mod_env.c>
    LoadModule env_module "/usr/lib/apache2/modules/mod_env.so"
</IfModule>
',
                         '<IfModule !mod_mime.c>
    LoadModule mime_module "/usr/lib/apache2/modules/mod_mime.so"
</IfModule>
',
                         '<IfModule !mod_alias.c>
    LoadModule alias_module "/usr/lib/apache2/modules/mod_alias.so"
</IfModule>
',
                         '<IfModule !mod_substitute.c>
    LoadModule substitute_module "/usr/lib/apache2/modules/mod_substitute.so"
</IfModule>
',
                         '<IfModule !mod_mime.c>
    LoadModule mime_module "/usr/lib/apache2/modules/mod_mime.so"
</IfModule>
',
                         '<IfModule !mod_alias.c>
    LoadModule alias_module "/usr/lib/apache2/modules/mod_alias.so"
</IfModule>
',
                         '
'
                       ],
         'inherit_config' => {
                               'LoadModule' => [
                                                 [
                                                   'access_compat_module',
                                                   '/usr/lib/apache2/modules/mod_access_compat.so'
                                                 ],
                                                 [
                                                   'alias_module',
                                                   '/usr/lib/apache2/modules/mod_alias.so'
                                                 ],
                                                 [
                                                   'auth_basic_module',
                                                   '/usr/lib/apache2/modules/mod_auth_basic.so'
                                                 ],
                                                 [
                                                   'authn_core_module',
                                                   '/usr/lib/apache2/modules/mod_authn_core.so'
                                                 ],
                                                 [
                                                   'authn_file_module',
                                                   '/usr/lib/apache2/modules/mod_authn_file.so'
                                                 ],
                                                 [
                                                   'authz_core_module',
                                                   '/usr/lib/apache2/modules/mod_authz_core.so'
                                                 ],
                                                 [
                                                   'authz_host_module',
                                                   '/usr/lib/apache2/modules/mod_authz_host.so'
                                                 ],
                                                 [
                                                   'authz_user_module',
                                                   '/usr/lib/apache2/modules/mod_authz_user.so'
                                                 ],
                                                 [
                                                   'autoindex_module',
                                                   '/usr/lib/apache2/modules/mod_autoindex.so'
                                                 ],
                                                 [
                                                   'deflate_module',
                                                   '/usr/lib/apache2/modules/mod_deflate.so'
                                                 ],
                                                 [
                                                   'dir_module',
                                                   '/usr/lib/apache2/modules/mod_dir.so'
                                                 ],
                                                 [
                                                   'env_module',
                                                   '/usr/lib/apache2/modules/mod_env.so'
                                                 ],
                                                 [
                                                   'filter_module',
                                                   '/usr/lib/apache2/modules/mod_filter.so'
                                                 ],
                                                 [
                                                   'mime_module',
                                                   '/usr/lib/apache2/modules/mod_mime.so'
                                                 ],
                                                 [
                                                   'mpm_event_module',
                                                   '/usr/lib/apache2/modules/mod_mpm_event.so'
                                                 ],
                                                 [
                                                   'negotiation_module',
                                                   '/usr/lib/apache2/modules/mod_negotiation.so'
                                                 ],
                                                 [
                                                   'perl_module',
                                                   '/usr/lib/apache2/modules/mod_perl.so'
                                                 ],
                                                 [
                                                   'reqtimeout_module',
                                                   '/usr/lib/apache2/modules/mod_reqtimeout.so'
                                                 ],
                                                 [
                                                   'setenvif_module',
                                                   '/usr/lib/apache2/modules/mod_setenvif.so'
                                                 ],
                                                 [
                                                   'status_module',
                                                   '/usr/lib/apache2/modules/mod_status.so'
                                                 ],
                                                 [
                                                   'geotag_module',
                                                   '/work/main/.libs/mod_geotag.so'
                                                 ],
                                                 [
                                                   'socache_shmcb_module',
                                                   '/usr/lib/apache2/modules/mod_socache_shmcb.so'
                                                 ],
                                                 [
                                                   'headers_module',
                                                   '/usr/lib/apache2/modules/mod_headers.so'
                                                 ],
                                                 [
                                                   'bucketeer_module',
                                                   '/usr/lib/apache2/modules/mod_bucketeer.so'
                                                 ],
                                                 [
                                                   'deflate_module',
                                                   '/usr/lib/apache2/modules/mod_deflate.so'
                                                 ],
                                                 [
                                                   'filter_module',
                                                   '/usr/lib/apache2/modules/mod_filter.so'
                                                 ],
                                                 [
                                                   'proxy_module',
                                                   '/usr/lib/apache2/modules/mod_proxy.so'
                                                 ],
                                                 [
                                                   'proxy_http_module',
                                                   '/usr/lib/apache2/modules/mod_proxy_http.so'
                                                 ],
                                                 [
                                                   'cgid_module',
                                                   '/usr/lib/apache2/modules/mod_cgid.so'
                                                 ],
                                                 [
                                                   'include_module',
                                                   '/usr/lib/apache2/modules/mod_include.so'
                                                 ],
                                                 [
                                                   'status_module',
                                                   '/usr/lib/apache2/modules/mod_status.so'
                                                 ],
                                                 [
                                                   'setenvif_module',
                                                   '/usr/lib/apache2/modules/mod_setenvif.so'
                                                 ],
                                                 [
                                                   'env_module',
                                                   '/usr/lib/apache2/modules/mod_env.so'
                                                 ],
                                                 [
                                                   'mime_module',
                                                   '/usr/lib/apache2/modules/mod_mime.so'
                                                 ],
                                                 [
                                                   'alias_module',
                                                   '/usr/lib/apache2/modules/mod_alias.so'
                                                 ],
                                                 [
                                                   'substitute_module',
                                                   '/usr/lib/apache2/modules/mod_substitute.so'
                                                 ]
                                               ],
                               'DocumentRoot' => '/var/www/html',
                               'ServerRoot' => '',
                               'LoadFile' => [],
                               'TypesConfig' => '/etc/mime.types',
                               'ServerAdmin' => 'webmaster@localhost'
                             },
         'clean' => {
                      'files' => {
                                   '/work/main/t/conf/httpd.conf' => 1,
                                   '/work/main/t/conf/apache_test_config.pm' => 1,
                                   '/work/main/t/conf/extra.conf' => 1,
                                   '/work/main/t/htdocs/index.html' => 1,
                                   '/work/main/t/logs/apache_runtime_status.sem' => 1
                                 },
                      'dirs' => {
                                  '/work/main/t/logs' => 1,
                                  '/work/main/t/state' => 1
                                }
                    },
         'hostport' => 'localhost:8529',
         'preamble_hooks' => [
                               sub { "DUMMY" }
                             ],
         'modules' => {
                        'mod_log_config.c' => 1,
                        'mod_env.c' => '/usr/lib/apache2/modules/mod_env.so',
                        'mod_authz_host.c' => '/usr/lib/apache2/modules/mod_authz_host.so',
                        'mod_mpm_event.c' => '/usr/lib/apache2/modules/mod_mpm_event.so',
                        'mod_perl.c' => '/usr/lib/apache2/modules/mod_perl.so',
                        'mod_watchdog.c' => 1,
                        'mod_deflate.c' => '/usr/lib/apache2/modules/mod_deflate.so',
                        'mod_proxy_http.c' => '/usr/lib/apache2/modules/mod_proxy_http.so',
                        'mod_access_compat.c' => '/usr/lib/apache2/modules/mod_access_compat.so',
                        'mod_authn_file.c' => '/usr/lib/apache2/modules/mod_authn_file.so',
                        'mod_status.c' => '/usr/lib/apache2/modules/mod_status.so',
                        'mod_authn_core.c' => '/usr/lib/apache2/modules/mod_authn_core.so',
                        'mod_alias.c' => '/usr/lib/apache2/modules/mod_alias.so',
                        'mod_auth_basic.c' => '/usr/lib/apache2/modules/mod_auth_basic.so',
                        'mod_autoindex.c' => '/usr/lib/apache2/modules/mod_autoindex.so',
                        'mod_authz_user.c' => '/usr/lib/apache2/modules/mod_authz_user.so',
                        'mod_version.c' => 1,
                        'mod_cgid.c' => '/usr/lib/apache2/modules/mod_cgid.so',
                        'mod_authz_core.c' => '/usr/lib/apache2/modules/mod_authz_core.so',
                        'http_core.c' => 1,
                        'mod_filter.c' => '/usr/lib/apache2/modules/mod_filter.so',
                        'mod_include.c' => '/usr/lib/apache2/modules/mod_include.so',
                        'mod_mime.c' => '/usr/lib/apache2/modules/mod_mime.so',
                        'core.c' => 1,
                        'mod_unixd.c' => 1,
                        'mod_headers.c' => '/usr/lib/apache2/modules/mod_headers.so',
                        'mod_reqtimeout.c' => '/usr/lib/apache2/modules/mod_reqtimeout.so',
                        'mod_socache_shmcb.c' => '/usr/lib/apache2/modules/mod_socache_shmcb.so',
                        'mod_setenvif.c' => '/usr/lib/apache2/modules/mod_setenvif.so',
                        'mod_negotiation.c' => '/usr/lib/apache2/modules/mod_negotiation.so',
                        'mod_proxy.c' => '/usr/lib/apache2/modules/mod_proxy.so',
                        'mod_dir.c' => '/usr/lib/apache2/modules/mod_dir.so',
                        'mod_bucketeer.c' => '/usr/lib/apache2/modules/mod_bucketeer.so',
                        'mod_geotag.c' => '/work/main/.libs/mod_geotag.so',
                        'mod_logio.c' => 1,
                        'mod_substitute.c' => '/usr/lib/apache2/modules/mod_substitute.so',
                        'mod_so.c' => 1
                      },
         'server' => bless( {
                              'mpm' => '',
                              'port_counter' => 8529,
                              'config' => $VAR1,
                              'version' => 'Apache/2.4.71',
                              'name' => 'localhost:8529',
                              'rev' => '2',
                              'revminor' => '4',
                              'run' => bless( {
                                                'conf_opts' => {
                                                                 'save' => 1,
                                                                 'verbose' => undef
                                                               },
                                                'argv' => [],
                                                'opts' => {
                                                            'start-httpd' => 1,
                                                            'header' => {},
                                                            'run-tests' => 1,
                                                            'req_args' => {},
                                                            'stop-httpd' => 1,
                                                            'breakpoint' => [],
                                                            'postamble' => [],
                                                            'preamble' => []
                                                          },
                                                'test_config' => $VAR1,
                                                'server' => $VAR1->{'server'},
                                                'tests' => [
                                                             't/apache/basic.t'
                                                           ]
                                              }, 'My::TestRun' )
                            }, 'Apache::TestServer' ),
         'inc' => [],
         'apache_test_version' => '1.43',
         'vhosts' => {},
         'httpd_info' => {
                           'MODULE_MAGIC_NUMBER_MAJOR' => '20120211',
                           'SERVER_MPM' => '',
                           'MODULE_MAGIC_NUMBER_MINOR' => '142',
                           'BUILT' => '2026-11-12T08:58:41',
                           'VERSION' => 'Apache/2.4.71 (Debian)',
                           'MODULE_MAGIC_NUMBER' => '20120211:142'
                         }
       }, 'Apache::TestConfig' );
}

1;
