# WARNING: this file is generated, do not edit
# generated on Wed Nov 25 22:18:19 2026
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
         'cmodules_disabled' => {},
         '_apxs' => {
                      'LIBEXECDIR' => '/usr/lib/apache2/modules',
                      'SBINDIR' => '/usr/sbin',
                      'BINDIR' => '/usr/bin',
                      'TARGET' => 'apache2',
                      'SYSCONFDIR' => '/etc/apache2'
                    },
         'inherit_config' => {
                               'ServerRoot' => '',
                               'TypesConfig' => '/etc/mime.types',
                               'LoadFile' => [],
                               'ServerAdmin' => 'webmaster@localhost',
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
                               'DocumentRoot' => '/var/www/html'
                             },
         'preamble_hooks' => [
                               sub { "DUMMY" }
                             ],
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
         'vhosts' => {},
         'modules' => {
                        'mod_proxy.c' => '/usr/lib/apache2/modules/mod_proxy.so',
                        'mod_include.c' => '/usr/lib/apache2/modules/mod_include.so',
                        'mod_bucketeer.c' => '/usr/lib/apache2/modules/mod_bucketeer.so',
                        'mod_geotag.c' => '/work/main/.libs/mod_geotag.so',
                        'mod_access_compat.c' => '/usr/lib/apache2/modules/mod_access_compat.so',
                        'mod_socache_shmcb.c' => '/usr/lib/apache2/modules/mod_socache_shmcb.so',
                        'mod_env.c' => '/usr/lib/apache2/modules/mod_env.so',
                        'mod_authn_file.c' => '/usr/lib/apache2/modules/mod_authn_file.so',
                        'http_core.c' => 1,
                        'mod_watchdog.c' => 1,
                        'mod_log_config.c' => 1,
                        'mod_negotiation.c' => '/usr/lib/apache2/modules/mod_negotiation.so',
                        'mod_perl.c' => '/usr/lib/apache2/modules/mod_perl.so',
                        'mod_filter.c' => '/usr/lib/apache2/modules/mod_filter.so',
                        'mod_dir.c' => '/usr/lib/apache2/modules/mod_dir.so',
                        'mod_unixd.c' => 1,
                        'core.c' => 1,
                        'mod_status.c' => '/usr/lib/apache2/modules/mod_status.so',
                        'mod_mpm_event.c' => '/usr/lib/apache2/modules/mod_mpm_event.so',
                        'mod_version.c' => 1,
                        'mod_deflate.c' => '/usr/lib/apache2/modules/mod_deflate.so',
                        'mod_auth_basic.c' => '/usr/lib/apache2/modules/mod_auth_basic.so',
                        'mod_authz_host.c' => '/usr/lib/apache2/modules/mod_authz_host.so',
                        'mod_authn_core.c' => '/usr/lib/apache2/modules/mod_authn_core.so',
                        'mod_alias.c' => '/usr/lib/apache2/modules/mod_alias.so',
                        'mod_logio.c' => 1,
                        'mod_cgid.c' => '/usr/lib/apache2/modules/mod_cgid.so',
                        'mod_authz_user.c' => '/usr/lib/apache2/modules/mod_authz_user.so',
                        'mod_setenvif.c' => '/usr/lib/apache2/modules/mod_setenvif.so',
                        'mod_autoindex.c' => '/usr/lib/apache2/modules/mod_autoindex.so',
                        'mod_proxy_http.c' => '/usr/lib/apache2/modules/mod_proxy_http.so',
                        'mod_mime.c' => '/usr/lib/apache2/modules/mod_mime.so',
                        'mod_authz_core.c' => '/usr/lib/apache2/modules/mod_authz_core.so',
                        'mod_substitute.c' => '/usr/lib/apache2/modules/mod_substitute.so',
                        'mod_headers.c' => '/usr/lib/apache2/modules/mod_headers.so',
                        'mod_so.c' => 1,
                        'mod_reqtimeout.c' => '/usr/lib/apache2/modules/mod_reqtimeout.so'
                      },
         'apache_test_version' => '1.43',
         'save' => 1,
         'postamble_hooks' => [
                                sub { "DUMMY" }
                              ],
         'httpd_info' => {
                           'SERVER_MPM' => '',
                           'MODULE_MAGIC_NUMBER_MINOR' => '142',
                           'MODULE_MAGIC_NUMBER_MAJOR' => '20120211',
                           'BUILT' => '2026-11-12T08:58:41',
                           'MODULE_MAGIC_NUMBER' => '20120211:142',
                           'VERSION' => 'Apache/2.4.71 (Debian)'
                         },
         'vars' => {
                     'documentroot' => '/work/main/t/htdocs',
                     'proxy' => 'off',
                     'access_module' => 'mod_authz_host.c',
                     'auth_module' => 'mod_auth_basic.c',
                     'servername' => 'localhost',
                     'auth_module_name' => 'mod_auth_basic',
                     'target' => 'apache2',
                     'maxsparethreadedmpm' => 20,
                     'bindir' => '/usr/bin',
                     'cgi_module_name' => 'mod_cgid',
                     'port' => 8569,
                     'thread_module_name' => 'worker',
                     't_conf_file' => '/work/main/t/conf/httpd.conf',
                     't_logs' => '/work/main/t/logs',
                     'httpd' => '/usr/sbin/apache2',
                     'httpd_conf' => '/etc/apache2/httpd.conf',
                     'minclients' => 1,
                     'sslproto' => 'all',
                     'src_dir' => undef,
                     'defines' => '',
                     'proxyssl_url' => '',
                     'ssl_module_name' => 'mod_ssl',
                     't_state' => '/work/main/t/state',
                     'perlpod' => '/usr/share/perl/5.36/pod',
                     'startserversthreadedmpm' => 1,
                     't_pid_file' => '/work/main/t/logs/httpd.pid',
                     'group' => 'nogroup',
                     'minclientsthreadedmpm' => 10,
                     'serveradmin' => 'webmaster@localhost',
                     'php_module_name' => 'sapi_apache2',
                     'php_module' => 'sapi_apache2.c',
                     'perl' => '/usr/bin/perl',
                     'scheme' => 'http',
                     'access_module_name' => 'mod_authz_host',
                     'user' => 'nobody',
                     'sslcaorg' => 'asf',
                     't_dir' => '/work/main/t',
                     'ssl_module' => 'mod_ssl.c',
                     'conf_dir' => '/etc/apache2',
                     'remote_addr' => '127.0.0.1',
                     'threadsperchild' => 10,
                     'thread_module' => 'worker.c',
                     't_conf' => '/work/main/t/conf',
                     'maxspare' => 2,
                     'top_dir' => '/work/main',
                     'serverroot' => '/work/main/t',
                     'apxs' => '/usr/bin/apxs',
                     'sslca' => '/work/main/t/conf/ssl/ca',
                     'maxclients_preset' => 0,
                     'limitrequestline' => 128,
                     'cgi_module' => 'mod_cgid.c',
                     'maxclientsthreadedmpm' => 30,
                     'limitrequestlinex2' => 256,
                     'httpd_conf_extra' => '/work/main/build/modules.conf',
                     'maxclients' => 3,
                     'inherit_documentroot' => '/var/www/html',
                     'sbindir' => '/usr/sbin'
                   },
         'inc' => [],
         'mpm' => '',
         'hostport' => 'localhost:8569',
         'clean' => {
                      'files' => {
                                   '/work/main/t/conf/apache_test_config.pm' => 1,
                                   '/work/main/t/logs/apache_runtime_status.sem' => 1,
                                   '/work/main/t/conf/extra.conf' => 1,
                                   '/work/main/t/htdocs/index.html' => 1,
                                   '/work/main/t/conf/httpd.conf' => 1
                                 },
                      'dirs' => {
                                  '/work/main/t/logs' => 1,
                                  '/work/main/t/state' => 1
                                }
                    },
         'server' => bless( {
                              'version' => 'Apache/2.4.71',
                              'run' => bless( {
                                                'server' => $VAR1->{'server'},
                                                'conf_opts' => {
                                                                 'verbose' => undef,
                                                                 'save' => 1
                                                               },
                                                'test_config' => $VAR1,
                                                'argv' => [],
                                                'tests' => [
                                                             't/apache/basic.t',
                                                             't/apache/config.t',
                                                             't/apache/restart.t'
                                                           ],
                                                'opts' => {
                                                            'postamble' => [],
                                                            'run-tests' => 1,
                                                            'preamble' => [],
                                                            'stop-httpd' => 1,
                                                            'breakpoint' => [],
                                                            'header' => {},
                                                            'req_args' => {},
                                                            'start-httpd' => 1
                                                          }
                                              }, 'My::TestRun' ),
                              'revminor' => '4',
                              'mpm' => '',
                              'config' => $VAR1,
                              'port_counter' => 8569,
                              'rev' => '2',
                              'name' => 'localhost:8569'
                            }, 'Apache::TestServer' ),
         'httpd_basedir' => '/usr',
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
         'APXS' => '/usr/bin/apxs',
         'httpd_defines' => {
                              'APR_USE_PTHREAD_SERIALIZE' => 1,
                              'APR_HAS_OTHER_CHILD' => 1,
                              'DEFAULT_SCOREBOARD' => 'logs/apache_runtime_status',
                              'APR_HAS_MMAP' => 1,
                              'DEFAULT_ERRORLOG' => 'logs/error_log',
                              'SERVER_CONFIG_FILE' => 'apache2.conf',
                              'APR_HAS_SENDFILE' => 1,
                              'APR_USE_PROC_PTHREAD_SERIALIZE' => 1,
                              'SUEXEC_BIN' => '/usr/lib/apache2/suexec',
                              'DEFAULT_PIDLOG' => '/run/apache2.pid',
                              'AP_HAVE_RELIABLE_PIPED_LOGS' => 1,
                              'APR_HAVE_IPV6 (IPv4-mapped addresses enabled)' => 1,
                              'HTTPD_ROOT' => '/etc/apache2',
                              'DYNAMIC_MODULE_LIMIT' => '256',
                              'SINGLE_LISTEN_UNSERIALIZED_ACCEPT' => 1,
                              'AP_TYPES_CONFIG_FILE' => 'mime.types'
                            },
         'verbose' => undef
       }, 'Apache::TestConfig' );
}

1;
