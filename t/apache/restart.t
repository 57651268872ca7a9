# After a graceful restart with a changed dictionary, no edit computed with
# the old dictionary is ever served (a private server, so the restart does
# not disturb the other tests).
use strict;
use warnings FATAL => 'all';
use Apache::Test;
use Apache::TestUtil;
use Cwd qw(abs_path);
use File::Copy qw(copy);
use File::Temp qw(tempdir);
use LWP::UserAgent;
use lib 't/lib';
use GeotagServer qw(free_port);

plan tests => 9, need_module 'mod_geotag.c';

my $top = abs_path('.');
my $module_so = $ENV{GEOTAG_MODULE_SO} || "$top/.libs/mod_geotag.so";
my $dir = tempdir(CLEANUP => 1);
chmod 0755, $dir;
my $mods = '/usr/lib/apache2/modules';
my $port = free_port();
copy("$top/conf/gazetteer.xml", "$dir/gazetteer.xml") or die;
my $user = $> == 0 ? "User nobody\nGroup nogroup" : '';
open my $fh, '>', "$dir/httpd.conf" or die;
print $fh <<"CONF";
ServerRoot $dir
Listen 127.0.0.1:$port
ServerName 127.0.0.1
ErrorLog $dir/error_log
PidFile $dir/httpd.pid
$user
LoadModule mpm_event_module $mods/mod_mpm_event.so
LoadModule authz_core_module $mods/mod_authz_core.so
LoadModule mime_module $mods/mod_mime.so
LoadModule headers_module $mods/mod_headers.so
LoadModule socache_shmcb_module $mods/mod_socache_shmcb.so
LoadModule geotag_module $module_so
TypesConfig /etc/mime.types
DocumentRoot $top/t/htdocs/samples
<Directory $top/t/htdocs/samples>
    Require all granted
</Directory>
GeoTagDictionary $dir/gazetteer.xml
GeoTagSchema $top/conf/gazetteer.rng
GeoTagCache shmcb:$dir/cache(1048576)
GeoTag On
Header always set X-GeoTag-Result "%{geotag-result}e" env=geotag-result
CONF
close $fh;

# make asan: an httpd with the ASan runtime preloaded, and the
# instrumented module (t/asan/apache.sh)
my $httpd = $ENV{GEOTAG_HTTPD} || '/usr/sbin/apache2';
system($httpd, '-f', "$dir/httpd.conf", '-k', 'start') == 0 or die "cannot start";
my $ua = LWP::UserAgent->new(timeout => 10);
my $url = "http://127.0.0.1:$port/en-analysis.html";
sub get_when_up {
    for (1 .. 100) {
        my $res = $ua->get($url);
        return $res if $res->code == 200;
        select(undef, undef, undef, 0.1);
    }
    return $ua->get($url);
}

my $r1 = get_when_up();
my $r2 = $ua->get($url);
ok t_cmp($r2->header('X-GeoTag-Result'), 'hit', 'cached before the change');
ok t_cmp($r1->content, qr{data-geotag="Country Q423">North Korea</span>}, 'North Korea tagged with the first dictionary');

# the new dictionary: North Korea's entity gets another id, as a corrected QID would
my $xml = do { local (@ARGV, $/) = "$dir/gazetteer.xml"; <> };
ok $xml =~ s{<entity id="Q423"}{<entity id="Q999423"} && $xml =~ s{ref="Q423"}{ref="Q999423"}g;
open my $out, '>', "$dir/gazetteer.xml" or die;
print $out $xml;
close $out;
system($httpd, '-f', "$dir/httpd.conf", '-k', 'graceful') == 0 or die "graceful failed";
my $r3;
for (1 .. 100) {
    select(undef, undef, undef, 0.1);
    $r3 = $ua->get($url);
    last if $r3->content =~ /Q999423/;
}
ok t_cmp($r3->content, qr{data-geotag="Country Q999423">North Korea</span>}, 'after the graceful restart the new dictionary is used');
ok t_cmp($r3->content !~ /Country Q423"/, 1, 'and no old edit is served');
ok t_cmp($r3->header('X-GeoTag-Result'), 'miss', 'the old cache entry is not a hit');
ok t_cmp($r3->header('ETag') ne $r1->header('ETag'), 1, 'the ETag changed with the dictionary');
my $r4 = $ua->get($url, 'If-None-Match' => $r1->header('ETag'));
ok t_cmp($r4->code, 200, 'the old ETag no longer revalidates');
my $r5 = $ua->get($url);
ok t_cmp($r5->header('X-GeoTag-Result'), 'hit', 'the new result is cached');

system($httpd, '-f', "$dir/httpd.conf", '-k', 'stop');
for (1 .. 50) { last unless -f "$dir/httpd.pid"; select(undef, undef, undef, 0.1) }
