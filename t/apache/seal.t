# A farm cache is a trust boundary: entries are sealed with an HMAC
# (GeoTagCacheSecret) over the cache key and the entry, and an entry that
# does not carry this server's seal is never replayed.  A real memcached
# and two private httpds on 127.0.0.1 sharing it, with the same ServerName:
# A with a secret, C without one.  The test reads and rewrites entries in
# memcached itself, as whoever can reach it could:
#
#   - the entry's layout: "GTR2" (the version mark), the result, and
#     HMAC-SHA1(secret, key || result) in its last 20 bytes;
#   - a flipped byte, an entry of another version (sealed correctly), an
#     entry sealed with another secret, another page's valid entry copied
#     under this page's key: each refused (cache_rejected), the page
#     tagged anew (a miss) with the right bytes, the entry replaced;
#   - a server without the secret refuses A's entries, and warns at
#     startup that its farm cache is not authenticated (GT004).
use strict;
use warnings FATAL => 'all';
use Apache::Test;
use Apache::TestUtil;
use Cwd qw(abs_path);
use Digest::SHA qw(hmac_sha1);
use File::Temp qw(tempdir);
use JSON::PP ();
use LWP::UserAgent ();
use lib 't/engine';
use GeotagTest qw(geotag slurp);
use lib 't/lib';
use GeotagServer qw(bytes_diff result_of);
use GeotagFarm qw(start_daemon stop_daemon start_httpd stop_httpd
                  httpd_error_log free_port stop_all farm_config
                  farm_key farm_get farm_set);

plan tests => 27, need_module 'mod_geotag.c';

$SIG{ALRM} = sub { stop_all(); die "seal.t: timed out\n" };
alarm 200;

my $top = abs_path('.');
my $secret = 'the farm secret, 16+ chars';
my $dir = tempdir('geotag-seal-XXXXXX', TMPDIR => 1, CLEANUP => 1);
chmod 0755, $dir;
my $daemon = start_daemon('memcache', $dir);

my $key_header = qq{Header always set X-GeoTag-Key "%{geotag-key}e" env=geotag-key\n};
my %srv;
for my $name (qw(A C)) {
    my $sdir = "$dir/$name";
    mkdir $sdir or die "$sdir: $!";
    chmod 0755, $sdir;
    my $port = free_port();
    my $extra = $key_header . ($name eq 'A' ? "GeoTagCacheSecret \"$secret\"\n" : '');
    my $up = start_httpd($sdir, $port,
                         farm_config($top, 'memcache', $sdir, $port, $daemon->{port}, $extra));
    $srv{$name} = { dir => $sdir, port => $port, up => $up };
}
ok t_cmp("$srv{A}{up} $srv{C}{up}", '1 1', 'memcached and both servers are up');

my $ua = LWP::UserAgent->new(timeout => 10);
sub get { $ua->get("http://127.0.0.1:$srv{$_[0]}{port}/$_[1]") }
sub rejected {
    my $res = $ua->get("http://127.0.0.1:$srv{$_[0]}{port}/geotag-status?json");
    my $json = eval { JSON::PP->new->decode($res->content) } || {};
    return $json->{counters}{cache_rejected} // 'none';
}
my %expected = map { $_ => (geotag(slurp("t/htdocs/samples/$_")))[0] }
    qw(en-analysis.html it-analisi.html);
# the outcome and whether the body is the tagged page
sub outcome {
    my ($res, $page) = @_;
    return result_of($res) . ', '
        . (bytes_diff($res->content, $expected{$page}) eq 'identical' ? 'right bytes'
           : 'wrong bytes: ' . bytes_diff($res->content, $expected{$page}));
}
my $page = 'en-analysis.html';
my $other = 'it-analisi.html';

# the entry and its layout
my $first = get('A', $page);
ok t_cmp(outcome($first, $page), 'miss, right bytes', 'A: a miss, tagged');
my $hex = $first->header('X-GeoTag-Key') // '';
ok t_cmp($hex, qr/^[0-9a-f]{40}$/, 'the key is in the environment (geotag-key)');
my $mkey = farm_key('memcache', $hex);
my $raw = farm_get($daemon, $mkey) // '';
ok t_cmp(substr($raw, 0, 4), 'GTR2', 'the entry starts with its version mark, GTR2');
my ($body, $tag) = (substr($raw, 0, -20), substr($raw, -20));
ok t_cmp(unpack('H*', $tag), unpack('H*', hmac_sha1(pack('H*', $hex) . $body, $secret)),
         'and ends with HMAC-SHA1(secret, key || entry)');
ok t_cmp(outcome(get('A', $page), $page), 'hit, right bytes', 'A: then a hit');

# rewritten in memcached: each is refused, the page tagged anew
my @forgeries = (
    ['a flipped byte' => sub {
        my $e = shift;
        substr($e, length($e) / 2, 1) ^= "\x01";
        return $e;
    }],
    ['another version, sealed right' => sub {
        my $e = substr(shift, 0, -20);
        substr($e, 0, 4) = 'GTR1';
        return $e . hmac_sha1(pack('H*', $hex) . $e, $secret);
    }],
    ['sealed with another secret' => sub {
        my $e = substr(shift, 0, -20);
        return $e . hmac_sha1(pack('H*', $hex) . $e, 'another secret, 16+ chars');
    }],
);
for my $f (@forgeries) {
    my ($what, $forge) = @$f;
    my $good = farm_get($daemon, $mkey) // die "no entry for $page\n";
    farm_set($daemon, $mkey, $forge->($good));
    my $before = rejected('A');
    ok t_cmp(outcome(get('A', $page), $page), 'miss, right bytes',
             "$what: refused, the page tagged anew");
    ok t_cmp(rejected('A') - $before, 1, "$what: cache_rejected +1");
    ok t_cmp(farm_get($daemon, $mkey) eq $good ? 'replaced' : 'not replaced', 'replaced',
             "$what: the entry replaced by the right one");
    ok t_cmp(outcome(get('A', $page), $page), 'hit, right bytes', "$what: then a hit again");
}

# another page's valid entry under this page's key
{
    my $r = get('A', $other);
    my $okey = farm_key('memcache', $r->header('X-GeoTag-Key') // '0' x 40);
    my $theirs = farm_get($daemon, $okey) // '';
    ok t_cmp(substr($theirs, 0, 4), 'GTR2', "the other page's entry is there");
    farm_set($daemon, $mkey, $theirs);
    my $before = rejected('A');
    ok t_cmp(outcome(get('A', $page), $page), 'miss, right bytes',
             "another page's entry copied under this key: refused, tagged anew");
    ok t_cmp(rejected('A') - $before, 1, 'cache_rejected +1');
}

# a server without the secret
{
    ok t_cmp(outcome(get('A', $page), $page), 'hit, right bytes', 'A: a hit');
    my $before = rejected('C');
    ok t_cmp(outcome(get('C', $page), $page), 'miss, right bytes',
             'C (no secret): refuses the entry A sealed, tags the page');
    ok t_cmp(rejected('C') - $before, 1, 'C: cache_rejected +1');
    my $log = httpd_error_log($srv{C}{dir});
    ok t_cmp($log =~ /GT004: GeoTagCache memcache:\S+ without GeoTagCacheSecret/ ? 'warned' : 'silent',
             'warned', 'C warned at startup that its farm cache is not authenticated');
    ok t_cmp(httpd_error_log($srv{A}{dir}) =~ /GT004/ ? 'warned' : 'silent', 'silent',
             'A (with a secret) did not');
}

ok t_cmp(stop_httpd($srv{A}{dir}) && stop_httpd($srv{C}{dir}) ? 1 : 0, 1, 'both servers stopped');
stop_daemon($daemon);
alarm 0;
