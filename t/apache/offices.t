# Role phrases in the module (docs/directives.md, GeoTagRequestDate and
# GeoTagCountry): two private httpds whose clocks stand on either side of a
# change of holder (libfaketime, from Debian's faketime package), sharing
# one memcached, serving the same files with the same dictionary.
#
#   - an undated page under GeoTagRequestDate On: "the US president" is the
#     holder of each server's day, and the second server never replays the
#     first one's entry (the holders in force are part of the key); ETags
#     differ; Last-Modified is the last change of holder, not older;
#   - the same page under GeoTagRequestDate Off: no role phrase resolved,
#     and one entry serves both days (the day is not in the key);
#   - a dated page: its own date decides, whatever the server's day, also
#     when it tells it after the phrase (a <time> at the article's end);
#   - GeoTagCountry: "the president" alone is tagged only where it is set.
use strict;
use warnings FATAL => 'all';
use Apache::Test;
use Apache::TestUtil;
use Cwd qw(abs_path);
use File::Temp qw(tempdir);
use HTTP::Date qw(str2time);
use LWP::UserAgent ();
use lib 't/lib';
use GeotagServer qw(result_of);
use GeotagFarm qw(start_daemon start_httpd stop_httpd httpd_error_log
                  free_port stop_all);
use GeotagHttpd ();

plan tests => 23, need_module 'mod_geotag.c';

$SIG{ALRM} = sub { stop_all(); die "offices.t: timed out\n" };
alarm 240;

my $faketime = '/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1';
die "libfaketime is missing ($faketime): make test installs Debian's faketime\n"
    unless -e $faketime;

my $top = abs_path('.');
my $dir = tempdir(CLEANUP => 1);
chmod 0755, $dir or die "chmod $dir: $!";   # the server's user reads it
my $old = str2time('2020-01-01T00:00:00Z');

sub put {
    my ($file, $text) = @_;
    open my $fh, '>:encoding(UTF-8)', $file or die "$file: $!";
    print $fh $text;
    close $fh;
    utime $old, $old, $file or die "utime $file: $!";
}

mkdir "$dir/docs" or die;
put("$dir/offices.xml", <<'XML');
<?xml version="1.0" encoding="UTF-8"?>
<gazetteer xmlns="urn:mod-geotag:gazetteer:1">
  <entity id="Q30" type="Country" source="test"><name lang="en">United States</name>
    <alias case="exact">US</alias></entity>
  <entity id="Q6279" type="Person" source="test"><name lang="en">Joe Biden</name></entity>
  <entity id="Q22686" type="Person" source="test"><name lang="en">Donald Trump</name></entity>
  <office id="Q11696" of="Q30" source="test"><name lang="en">President of the United States</name>
    <role>president</role>
    <holder ref="Q6279" from="2021-01-20" to="2025-01-20"/>
    <holder ref="Q22686" from="2025-01-20"/></office>
</gazetteer>
XML
# the language packs, dated 2020 too: the newest file of the dictionary is
# the tagged page's Last-Modified floor, and the servers' clocks say 2025
mkdir "$dir/lang" or die;
for my $pack (glob "$top/conf/lang/*.xml") {
    (my $name = $pack) =~ s{.*/}{};
    open my $in, '<:raw', $pack or die "$pack: $!";
    my $bytes = do { local $/; <$in> };
    close $in;
    open my $out, '>:raw', "$dir/lang/$name" or die;
    print $out $bytes;
    close $out;
    utime $old, $old, "$dir/lang/$name" or die;
}
my $undated = '<!DOCTYPE html><html lang="en"><head><title>t</title></head><body>'
            . '<article><p>The US president spoke on Monday.</p></article></body></html>';
my $dated = '<!DOCTYPE html><html lang="en"><head><title>t</title>'
          . '<meta property="article:published_time" content="2024-10-05T10:00:00Z"></head><body>'
          . '<article><p>The US president spoke on Monday.</p></article></body></html>';
my $bare = '<!DOCTYPE html><html lang="en"><head><title>t</title>'
         . '<meta property="article:published_time" content="2024-10-05T10:00:00Z"></head><body>'
         . '<article><p>Yesterday the president spoke.</p></article></body></html>';
put("$dir/docs/undated.html", $undated);
put("$dir/docs/dated.html", $dated);
put("$dir/docs/bare.html", $bare);
(my $late = $undated) =~ s{</p></article>}{</p><footer><time datetime="2024-10-05">5 October</time></footer></article>};
put("$dir/docs/late.html", $late);

my $mc = start_daemon('memcache', $dir);
my %server;
for my $day ('2025-01-10', '2025-02-10') {
    my $sdir = "$dir/$day";
    mkdir $sdir or die;
    my $port = free_port();
    my $conf = GeotagHttpd::private_config(
        dir => $sdir, top => $top, ports => [$port],
        modules => ['socache_memcache', 'alias'],
        server_name => 'offices.example.test:80',
        dictionary => "$dir/offices.xml",
        purpose => "offices.t: a server whose clock says $day (written by the test)",
        body => <<"CONF");
GeoTagCache memcache:127.0.0.1:$mc->{port}
GeoTagCacheMemory 0
DocumentRoot $dir/docs
Alias /on/ $dir/docs/
Alias /off/ $dir/docs/
Alias /country/ $dir/docs/
<Directory $dir/docs>
    Require all granted
</Directory>
<Location /on/>
    GeoTag On
    GeoTagRequestDate On
</Location>
<Location /off/>
    GeoTag On
</Location>
<Location /country/>
    GeoTag On
    GeoTagCountry Q30
</Location>
CONF
    $conf =~ s{GeoTagLanguagePacks "[^"]*"}{GeoTagLanguagePacks "$dir/lang"}
        or die 'no GeoTagLanguagePacks';
    # the server's clock: noon of its day, running on from there
    local $ENV{LD_PRELOAD} = $faketime;
    local $ENV{FAKETIME} = "\@$day 12:00:00";
    local $ENV{NO_FAKE_STAT} = 1;
    local $ENV{DONT_FAKE_MONOTONIC} = 1;
    start_httpd($sdir, $port, $conf) or die "httpd for $day did not start:\n" . httpd_error_log($sdir);
    $server{$day} = $port;
}

my $ua = LWP::UserAgent->new(timeout => 20);
sub get {
    my ($day, $path) = @_;
    return $ua->get("http://127.0.0.1:$server{$day}$path");
}
sub who {
    my ($res) = @_;
    my @ids = $res->content =~ /<span data-geotag="Person (Q\d+)">/g;
    return @ids ? join(',', @ids) : 'nobody';
}

# ---- GeoTagRequestDate On: each day its holder, never the other's entry
my $a1 = get('2025-01-10', '/on/undated.html');
ok t_cmp(who($a1), 'Q6279', 'On, 10 January 2025: "the US president" is Biden');
ok t_cmp(result_of($a1), qr/^miss/, 'On, 10 January: tagged (a miss)');
my $b1 = get('2025-02-10', '/on/undated.html');
ok t_cmp(who($b1), 'Q22686', 'On, 10 February 2025: Trump, not the entry of 10 January');
ok t_cmp(result_of($b1), qr/^miss/, 'On, 10 February: a miss (the holders are in the key)');
my $b2 = get('2025-02-10', '/on/undated.html');
ok t_cmp(result_of($b2), 'hit', 'On, 10 February again: a hit of its own entry');
ok t_cmp(who($b2), 'Q22686', 'and the same person');
ok t_cmp(result_of(get('2025-01-10', '/on/undated.html')), 'hit', 'On, 10 January again: a hit of its own');
my ($ea, $eb) = map { $_->header('ETag') // '(none)' } $a1, $b1;
ok t_cmp($ea ne $eb ? 'different' : "both $ea", 'different', 'the ETags of the two days differ');
ok t_cmp(str2time($b1->header('Last-Modified') // '') // 0, str2time('2025-01-20T00:00:00Z'),
         'Last-Modified on 10 February is the change of holder (20 January), not the file\'s 2020');
ok t_cmp(str2time($a1->header('Last-Modified') // '') // 0, str2time('2021-01-20T00:00:00Z'),
         'Last-Modified on 10 January is the last change before it (20 January 2021)');
{
    my $r = $ua->get("http://127.0.0.1:$server{'2025-02-10'}/on/undated.html", 'If-None-Match' => $ea);
    ok t_cmp($r->code, 200, 'the ETag of 10 January does not validate the page of 10 February');
}

# ---- GeoTagRequestDate Off: nothing resolved, one entry for both days
my $o1 = get('2025-01-10', '/off/undated.html');
ok t_cmp(who($o1), 'nobody', 'Off: an undated page names no office-holder');
ok t_cmp(result_of($o1), qr/^miss/, 'Off, 10 January: a miss');
my $o2 = get('2025-02-10', '/off/undated.html');
ok t_cmp(result_of($o2), 'hit', 'Off, 10 February: a hit of the entry of 10 January (no day in the key)');
ok t_cmp($o2->header('ETag') // '', $o1->header('ETag') // '(none)', 'Off: the same ETag on both days');

# ---- a dated page: its date, whatever the server's day
ok t_cmp(who(get('2025-01-10', '/on/dated.html')), 'Q6279', 'a page dated 5 October 2024, on 10 January: Biden');
ok t_cmp(who(get('2025-02-10', '/on/dated.html')), 'Q6279', 'and on 10 February: still Biden');
ok t_cmp(who(get('2025-02-10', '/off/dated.html')), 'Q6279', 'and under Off');
ok t_cmp(who(get('2025-02-10', '/on/late.html')), 'Q6279',
         'a page that tells its date (2024) after the phrase, on 10 February 2025 under On: Biden, held until then');
ok t_cmp(who(get('2025-02-10', '/off/late.html')), 'Q6279', 'and under Off');

# ---- GeoTagCountry
ok t_cmp(who(get('2025-02-10', '/off/bare.html')), 'nobody', '"the president" alone: nobody without GeoTagCountry');
my $c = get('2025-02-10', '/country/bare.html');
ok t_cmp(who($c), 'Q6279', 'with GeoTagCountry Q30: the US president of the page\'s date');
ok t_cmp(($c->header('ETag') // '') ne (get('2025-02-10', '/off/bare.html')->header('ETag') // '')
         ? 'different' : 'same', 'different', 'GeoTagCountry is part of the ETag');

stop_httpd("$dir/$_") for keys %server;
