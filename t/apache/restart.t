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
use GeotagHttpd qw(private_config httpd_binary);

plan tests => 9, need_module 'mod_geotag.c';

my $top = abs_path('.');
my $dir = tempdir(CLEANUP => 1);
chmod 0755, $dir;
my $port = free_port();
copy("$top/conf/gazetteer.xml", "$dir/gazetteer.xml") or die;
open my $fh, '>', "$dir/httpd.conf" or die;
print $fh private_config(
    dir => $dir, top => $top, ports => [$port], modules => ['socache_shmcb'],
    dictionary => "$dir/gazetteer.xml",
    purpose => 'restart.t: a graceful restart with a changed dictionary (written by the test)',
    body => <<"CONF");
DocumentRoot $top/t/htdocs/samples
<Directory $top/t/htdocs/samples>
    Require all granted
</Directory>
GeoTagCache shmcb:$dir/cache(1048576)
GeoTag On
CONF
close $fh;

# make asan: an httpd with the ASan runtime preloaded, and the
# instrumented module (t/asan/apache.sh, GeotagHttpd::httpd_binary)
my $httpd = httpd_binary();
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
ok $xml =~ s{<entity id="Q423"}{<entity id="Q999423"} && $xml =~ s{\b(ref|of)="Q423"}{$1="Q999423"}g;
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
