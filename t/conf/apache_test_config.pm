# WARNING: this file is generated, do not edit
# generated on Wed Nov 25 22:14:43 2026
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
         'httpd_defines' => {
                              'AP_HAVE_RELIABLE_PIPED_LOGS' => 1,
                              'APR_HAS_MMAP' => 1,
                              'DEFAULT_SCOREBOARD' => 'logs/apache_runtime_status',
                              'DEFAULT_ERRORLOG' => 'logs/error_log',
                              'APR_HAS_OTHER_CHILD' => 1,
                              'HTTPD_ROOT' => '/etc/apache2',
                              'SINGLE_LISTEN_UNSERIALIZED_ACCEPT' => 1,
                              'SUEXEC_BIN' => '/usr/lib/apache2/suexec',
                              'APR_USE_PTHREAD_SERIALIZE' => 1,
                              'APR_HAS_SENDFILE' => 1,
                              'AP_TYPES_CONFIG_FILE' => 'mime.types',
                              'DYNAMIC_MODULE_LIMIT' => '256',
                              'DEFAULT_PIDLOG' => '/run/apache2.pid',
                              'SERVER_CONFIG_FILE' => 'apache2.conf',
                              'APR_HAVE_IPV6 (IPv4-mapped addresses enabled)' => 1,
                              'APR_USE_PROC_PTHREAD_SERIALIZE' => 1
                            },
         'modules' => {
                        'mod_deflate.c' => '/usr/lib/apache2/modules/mod_deflate.so',
                        'mod_status.c' => '/usr/lib/apache2/modules/mod_status.so',
                        'mod_so.c' => 1,
                        'mod_bucketeer.c' => '/usr/lib/apache2/modules/mod_bucketeer.so',
                        'mod_headers.c' => '/usr/lib/apache2/modules/mod_headers.so',
                        'mod_perl.c' => '/usr/lib/apache2/modules/mod_perl.so',
                        'mod_log_config.c' => 1,
                        'mod_auth_basic.c' => '/usr/lib/apache2/modules/mod_auth_basic.so',
                        'mod_env.c' => '/usr/lib/apache2/modules/mod_env.so',
                        'mod_proxy_http.c' => '/usr/lib/apache2/modules/mod_proxy_http.so',
                        'mod_authn_file.c' => '/usr/lib/apache2/modules/mod_authn_file.so',
                        'mod_access_compat.c' => '/usr/lib/apache2/modules/mod_access_compat.so',
                        'mod_filter.c' => '/usr/lib/apache2/modules/mod_filter.so',
                        'mod_authz_host.c' => '/usr/lib/apache2/modules/mod_authz_host.so',
                        'mod_proxy.c' => '/usr/lib/apache2/modules/mod_proxy.so',
                        'mod_authn_core.c' => '/usr/lib/apache2/modules/mod_authn_core.so',
                        'mod_watchdog.c' => 1,
                        'mod_include.c' => '/usr/lib/apache2/modules/mod_include.so',
                        'mod_cgid.c' => '/usr/lib/apache2/modules/mod_cgid.so',
                        'mod_socache_shmcb.c' => '/usr/lib/apache2/modules/mod_socache_shmcb.so',
                        'mod_dir.c' => '/usr/lib/apache2/modules/mod_dir.so',
                        'mod_reqtimeout.c' => '/usr/lib/apache2/modules/mod_reqtimeout.so',
                        'mod_geotag.c' => '/work/main/.libs/mod_geotag.so',
                        'mod_authz_core.c' => '/usr/lib/apache2/modules/mod_authz_core.so',
                        'mod_version.c' => 1,
                        'mod_setenvif.c' => '/usr/lib/apache2/modules/mod_setenvif.so',
                        'mod_authz_user.c' => '/usr/lib/apache2/modules/mod_authz_user.so',
                        'mod_substitute.c' => '/usr/lib/apache2/modules/mod_substitute.so',
                        'mod_autoindex.c' => '/usr/lib/apache2/modules/mod_autoindex.so',
                        'mod_alias.c' => '/usr/lib/apache2/modules/mod_alias.so',
                        'mod_negotiation.c' => '/usr/lib/apache2/modules/mod_negotiation.so',
                        'mod_logio.c' => 1,
                        'mod_mime.c' => '/usr/lib/apache2/modules/mod_mime.so',
                        'mod_unixd.c' => 1,
                        'mod_mpm_event.c' => '/usr/lib/apache2/modules/mod_mpm_event.so',
                        'http_core.c' => 1,
                        'core.c' => 1
                      },
         'apache_test_version' => '1.43',
         'postamble_hooks' => [
                                sub { "DUMMY" }
                              ],
         'APXS' => '/usr/bin/apxs',
         'preamble_hooks' => [
                               sub { "DUMMY" }
                             ],
         'httpd_info' => {
                           'MODULE_MAGIC_NUMBER_MAJOR' => '20120211',
                           'BUILT' => '2026-11-12T08:58:41',
                           'MODULE_MAGIC_NUMBER' => '20120211:142',
                           'MODULE_MAGIC_NUMBER_MINOR' => '142',
                           'VERSION' => 'Apache/2.4.71 (Debian)',
                           'SERVER_MPM' => ''
                         },
         'hostport' => 'localhost:8529',
         'vhosts' => {},
         'save' => 1,
         'inherit_config' => {
                               'ServerAdmin' => 'webmaster@localhost',
                               'ServerRoot' => '',
                               'DocumentRoot' => '/var/www/html',
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
                               'TypesConfig' => '/etc/mime.types',
                               'LoadFile' => []
                             },
         'vars' => {
                     'maxclientsthreadedmpm' => 30,
                     'ssl_module_name' => 'mod_ssl',
                     'proxy' => 'off',
                     'documentroot' => '/work/main/t/htdocs',
                     'httpd_conf_extra' => '/work/main/build/modules.conf',
                     'access_module' => 'mod_authz_host.c',
                     'php_module' => 'sapi_apache2.c',
                     'limitrequestline' => 128,
                     'thread_module_name' => 'worker',
                     'maxspare' => 2,
                     't_pid_file' => '/work/main/t/logs/httpd.pid',
                     'target' => 'apache2',
                     'port' => 8529,
                     'user' => 'nobody',
                     'proxyssl_url' => '',
                     'top_dir' => '/work/main',
                     'serveradmin' => 'webmaster@localhost',
                     'minclientsthreadedmpm' => 10,
                     'conf_dir' => '/etc/apache2',
                     'httpd_conf' => '/etc/apache2/httpd.conf',
                     'defines' => '',
                     'servername' => 'localhost',
                     'src_dir' => undef,
                     'auth_module' => 'mod_auth_basic.c',
                     't_state' => '/work/main/t/state',
                     'cgi_module' => 'mod_cgid.c',
                     'perlpod' => '/usr/share/perl/5.36/pod',
                     't_conf' => '/work/main/t/conf',
                     'threadsperchild' => 10,
                     'group' => 'nogroup',
                     'sslproto' => 'all',
                     'maxsparethreadedmpm' => 20,
                     'thread_module' => 'worker.c',
                     'minclients' => 1,
                     'php_module_name' => 'sapi_apache2',
                     'startserversthreadedmpm' => 1,
                     't_conf_file' => '/work/main/t/conf/httpd.conf',
                     'remote_addr' => '127.0.0.1',
                     'httpd' => '/usr/sbin/apache2',
                     't_dir' => '/work/main/t',
                     'maxclients_preset' => 0,
                     'perl' => '/usr/bin/perl',
                     'access_module_name' => 'mod_authz_host',
                     'bindir' => '/usr/bin',
                     'sslcaorg' => 'asf',
                     'ssl_module' => 'mod_ssl.c',
                     'maxclients' => 3,
                     'cgi_module_name' => 'mod_cgid',
                     'inherit_documentroot' => '/var/www/html',
                     'limitrequestlinex2' => 256,
                     'scheme' => 'http',
                     'apxs' => '/usr/bin/apxs',
                     'sslca' => '/work/main/t/conf/ssl/ca',
                     'sbindir' => '/usr/sbin',
                     'serverroot' => '/work/main/t',
                     'auth_module_name' => 'mod_auth_basic',
                     't_logs' => '/work/main/t/logs'
                   },
         'mpm' => '',
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
         'clean' => {
                      'files' => {
                                   '/work/main/t/conf/httpd.conf' => 1,
                                   '/work/main/t/htdocs/index.html' => 1,
                                   '/work/main/t/conf/extra.conf' => 1,
                                   '/work/main/t/logs/apache_runtime_status.sem' => 1,
                                   '/work/main/t/conf/apache_test_config.pm' => 1
                                 },
                      'dirs' => {
                                  '/work/main/t/state' => 1,
                                  '/work/main/t/logs' => 1
                                }
                    },
         'verbose' => undef,
         'inc' => [],
         'server' => bless( {
                              'version' => 'Apache/2.4.71',
                              'rev' => '2',
                              'run' => bless( {
                                                'conf_opts' => {
                                                                 'save' => 1,
                                                                 'verbose' => undef
                                                               },
                                                'argv' => [],
                                                'test_config' => $VAR1,
                                                'tests' => [
                                                             't/apache/basic.t'
                                                           ],
                                                'server' => $VAR1->{'server'},
                                                'opts' => {
                                                            'preamble' => [],
                                                            'req_args' => {},
                                                            'stop-httpd' => 1,
                                                            'header' => {},
                                                            'run-tests' => 1,
                                                            'start-httpd' => 1,
                                                            'breakpoint' => [],
                                                            'postamble' => []
                                                          }
                                              }, 'My::TestRun' ),
                              'port_counter' => 8529,
                              'name' => 'localhost:8529',
                              'mpm' => '',
                              'config' => $VAR1,
                              'revminor' => '4'
                            }, 'Apache::TestServer' ),
         'cmodules_disabled' => {},
         'httpd_basedir' => '/usr',
         '_apxs' => {
                      'SYSCONFDIR' => '/etc/apache2',
                      'TARGET' => 'apache2',
                      'LIBEXECDIR' => '/usr/lib/apache2/modules',
                      'BINDIR' => '/usr/bin',
                      'SBINDIR' => '/usr/sbin'
                    }
       }, 'Apache::TestConfig' );
}

1;
