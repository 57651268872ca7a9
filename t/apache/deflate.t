# Compressed origins.  A gzip file served with Content-Encoding: gzip:
#   /stream/gz-tag/  SetOutputFilter INFLATE;GEOTAG;DEFLATE: inflated,
#                    tagged, compressed again;
#   /stream/gz-on/   GeoTag On alone: GEOTAG must not parse gzip bytes as
#                    HTML, it steps aside (bypass:encoding) and the bytes
#                    go out as they are.
# (t/conf/stream.conf.in)
use strict;
use warnings FATAL => 'all';
use Apache::Test;
use Apache::TestRequest;
use Apache::TestUtil;
use IO::Compress::Gzip qw(gzip $GzipError);
use IO::Uncompress::Gunzip qw(gunzip $GunzipError);
use lib 't/engine';
use GeotagTest qw(geotag unwrap slurp);
use lib 't/lib';
use GeotagServer qw(write_fixture);

plan tests => 20, need_module 'mod_geotag.c', need_module 'mod_deflate.c',
    need_module 'mod_mime.c';

my $page = slurp('t/htdocs/samples/it-analisi.html');
my ($expected) = geotag($page);
gzip \$page => \my $gz, Minimal => 1 or die "gzip: $GzipError";
# a file modified within the current second gets a weak ETag (no cache key):
# written dated back
write_fixture('stream/gz/analisi.html.gz', $gz);

my $run = '?run=' . time;
sub gunzipped {
    my ($bytes) = @_;
    my $out;
    gunzip \$bytes => \$out or return "not gzip: $GunzipError";
    return $out;
}

# the file as the server serves it untouched
my $direct = GET "/stream/gz/analisi.html.gz$run", 'Accept-Encoding' => 'gzip';
ok t_cmp($direct->header('Content-Encoding') // '', 'gzip',
         'the fixture is served as Content-Encoding: gzip');
ok $direct->content eq $gz;
t_debug 'and its bytes are the gzip file';
my $file_etag = $direct->header('ETag') // '';

# INFLATE;GEOTAG;DEFLATE
my $tag_url = "/stream/gz-tag/analisi.html.gz$run";
my $r = GET $tag_url, 'Accept-Encoding' => 'gzip';
ok t_cmp($r->code, 200, 'INFLATE;GEOTAG;DEFLATE: 200');
ok t_cmp($r->header('Content-Encoding') // '', 'gzip', 'the response is gzip again');
ok t_cmp(substr($r->content, 0, 2), "\x1f\x8b", 'gzip bytes on the wire');
my $html = gunzipped($r->content);
ok t_cmp($html, qr{<span data-geotag="Country Q212">Ucraina</span>}, 'gunzipped, it is tagged');
ok t_cmp($html, qr{<script type="application/ld\+json" id="geotag-jsonld" data-geotag="jsonld">\{}, 'with the JSON-LD block');
ok $html eq $expected;
t_debug 'exactly what geotag makes of the page (' . length($html) . ' / ' . length($expected) . ' bytes)';
ok unwrap($html) eq $page;
t_debug 'unwrapping our markup gives the original page';
ok t_cmp($r->header('X-GeoTag-Result') // '', qr/^(miss|hit|uncached:[a-z-]+)$/,
         'the outcome is a tagging one, not a bypass');
my $etag = $r->header('ETag') // '';
t_debug "file ETag $file_etag, INFLATE;GEOTAG;DEFLATE ETag $etag";
ok t_cmp($etag ne '' && $etag ne $file_etag ? 1 : 0, 1,
         "the transformed response has its own ETag ($etag)");
ok t_cmp($r->header('Vary') // '', qr/Accept-Encoding/i, 'Vary: Accept-Encoding');

my $again = GET $tag_url, 'Accept-Encoding' => 'gzip';
ok t_cmp($again->header('X-GeoTag-Result') // '', 'hit', 'the repeat is a cache hit');
ok gunzipped($again->content) eq $expected;
t_debug 'with the same page';

# a client that does not take gzip gets the tagged page plain
my $plain = GET $tag_url;
ok t_cmp($plain->header('Content-Encoding') // 'none', 'none',
         'without Accept-Encoding: gzip, no Content-Encoding');
ok $plain->content eq $expected;
t_debug 'and the tagged page as is';

# GeoTag On without INFLATE: untouched
my $on = GET "/stream/gz-on/analisi.html.gz$run", 'Accept-Encoding' => 'gzip';
ok t_cmp($on->header('X-GeoTag-Result') // '', 'bypass:encoding',
         'GeoTag On on gzip bytes: GEOTAG steps aside');
ok t_cmp($on->header('Content-Encoding') // '', 'gzip', 'still Content-Encoding: gzip');
ok $on->content eq $gz;
t_debug 'the gzip bytes are those of the file';
ok t_cmp($on->header('ETag') // '', $file_etag, 'and the ETag is the file\'s');
