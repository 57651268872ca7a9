# Range requests and GEOTAG: a tagged page is never answered with a slice
# of the untagged one.  Every response to a Range request must be either
# the whole representation its ETag names (200) or exactly the requested
# slice of it (206).  Non-HTML files keep their byte ranges (seeking in a
# video or a PDF under GeoTag On), and so does a proxied response the
# backend already cut (the filter then steps aside).
use strict;
use warnings FATAL => 'all';
use Apache::Test;
use Apache::TestRequest;
use Apache::TestUtil;
use lib 't/lib';
use GeotagServer qw(disk bytes_diff markup probe probe_outcome write_fixture);

plan tests => 25, need_module 'mod_geotag.c', 'proxy', 'proxy_http', 'mime';

# "consistent", or what is wrong with a response to bytes=$from-$to.
# $full_of->($etag) fetches the whole representation that ETag names and
# returns its body and ETag.
sub range_verdict {
    my ($res, $from, $to, $full_of) = @_;
    my $etag = $res->header('ETag') // '';
    my $code = $res->code;
    return "status $code" unless $code == 200 || $code == 206;
    my ($full, $full_etag) = $full_of->($etag);
    return "a $code with ETag $etag, but the full representation has $full_etag"
        if $full_etag ne $etag;
    if ($code == 200) {
        my $d = bytes_diff($res->content, $full);
        return $d eq 'identical' ? 'consistent' : "a 200 whose body $d";
    }
    my $cr = $res->header('Content-Range') // '(none)';
    my $want_cr = sprintf 'bytes %d-%d/%d', $from, $to, length $full;
    return "a 206 with Content-Range $cr, expected $want_cr" if $cr ne $want_cr;
    my $d = bytes_diff($res->content, substr($full, $from, $to - $from + 1));
    return $d eq 'identical' ? 'consistent' : "a 206 whose slice $d";
}

sub describe {
    my $res = shift;
    return join ' ', $res->code, $res->header('ETag') // '(no ETag)',
        $res->header('Content-Range') // '';
}

# ---- a static article under GeoTag On (1-9)

my $url = '/tagged/samples/it-analisi.html';
my $full = GET $url;
ok t_cmp($full->code, 200, 'the tagged article');
ok t_cmp(markup($full->content), 'tagged', 'is tagged');
my $tagged = $full->content;
my $tagged_etag = $full->header('ETag') // '';
my $untagged = disk('samples/it-analisi.html');
my $static_full = sub { ($tagged, $tagged_etag) };

{
    my $r = GET $url, Range => 'bytes=0-99';
    t_debug('bytes=0-99: ' . describe($r));
    ok t_cmp(range_verdict($r, 0, 99, $static_full), 'consistent',
             'bytes=0-99 of a tagged page: the whole tagged page or its first 100 bytes');
}

# a range around the first mention: its tagged and untagged bytes differ
my $at = index $tagged, '<span data-geotag=';
my ($from, $to) = ($at - 40, $at + 59);
ok t_cmp(substr($tagged, $from, 100) ne substr($untagged, $from, 100) ? 1 : 0, 1,
         "bytes=$from-$to differ between the tagged and the untagged page");
{
    my $r = GET $url, Range => "bytes=$from-$to";
    t_debug("bytes=$from-$to: " . describe($r));
    ok t_cmp(range_verdict($r, $from, $to, $static_full), 'consistent',
             'a range around the first mention: consistent with the tagged page');
    ok t_cmp($r->content eq substr($untagged, $from, 100) ? 'the untagged slice' : 'not it',
             'not it', 'never the untagged slice');
}
{
    my $r = GET $url, Range => "bytes=$from-$to", 'If-Range' => $tagged_etag;
    t_debug('If-Range with the tagged ETag: ' . describe($r));
    ok t_cmp(range_verdict($r, $from, $to, $static_full), 'consistent',
             'If-Range with the tagged ETag: consistent with the tagged page');
}
{
    my $r = GET $url, Range => "bytes=$from-$to", 'If-Range' => '"stale-etag"';
    ok t_cmp($r->code, 200, 'If-Range with a stale ETag: a 200');
    ok t_cmp(bytes_diff($r->content, $tagged), 'identical', 'with the whole tagged page');
}

# ---- a text file under GeoTag On keeps its ranges (10-15)

{
    my $data = disk('bypass/data.txt');
    my $r = GET '/bypass/data.txt', Range => 'bytes=100-1123';
    ok t_cmp($r->code, 206, 'a range of a .txt under GeoTag On: 206');
    ok t_cmp($r->header('Content-Range') // '', 'bytes 100-1123/' . length($data),
             'with its Content-Range');
    ok t_cmp(bytes_diff($r->content, substr($data, 100, 1024)), 'identical',
             'and exactly the requested bytes of the file');

    my $tail = GET '/bypass/data.txt', Range => 'bytes=-50';
    ok t_cmp($tail->code, 206, 'a suffix range: 206');
    ok t_cmp(bytes_diff($tail->content, substr($data, -50)), 'identical',
             'the last 50 bytes');

    my $etag = $r->header('ETag') // '';
    my $if = GET '/bypass/data.txt', Range => 'bytes=0-9', 'If-Range' => $etag;
    ok t_cmp($if->code . ' ' . $if->content, '206 ' . substr($data, 0, 10),
             'If-Range with the file\'s ETag: still a 206 of the file');
}

# ---- through mod_proxy (16-25)

# The backend serves the samples; the front end tags them.  The front end
# knows the type from the extension, so it can keep Range from the backend.
my $proxied_full = sub {
    my $etag = shift;
    my $r = $etag =~ /-gt[0-9a-f]{8}"$/ ? GET '/proxied/it-analisi.html'
                                         : GET '/samples/it-analisi.html';
    return ($r->content, $r->header('ETag') // '');
};
{
    my $r = GET '/proxied/it-analisi.html';
    ok t_cmp(markup($r->content), 'tagged', 'a proxied article is tagged');
    ok t_cmp($r->header('ETag') // '', qr/-gt[0-9a-f]{8}"$/, 'with the tagged ETag');

    my $id = probe('range');
    my $ranged = GET '/proxied/it-analisi.html', Range => "bytes=$from-$to",
                     'X-GT-Probe' => $id;
    t_debug('proxied bytes=' . "$from-$to: " . describe($ranged) . ', outcome '
            . probe_outcome($id, '/proxied/it-analisi.html'));
    ok t_cmp(range_verdict($ranged, $from, $to, $proxied_full), 'consistent',
             'a proxied range: the representation its ETag names, whole or sliced');
}

# An HTML page with no extension: the front end cannot know the type
# before the backend answers, so Range reaches the backend, which answers
# 206; GEOTAG must then step aside and the 206 must be of the untagged
# representation, under the untagged ETag.
write_fixture('bypass/plain/article', $untagged);
my $plain_full = sub {
    my $etag = shift;
    my $r = $etag =~ /-gt[0-9a-f]{8}"$/ ? GET '/proxied-plain/article'
                                         : GET '/bypass/plain/article';
    return ($r->content, $r->header('ETag') // '');
};
{
    my $r = GET '/proxied-plain/article';
    ok t_cmp(markup($r->content), 'tagged',
             'an extension-less proxied article is tagged');
    my $ptagged_etag = $r->header('ETag') // '';
    ok t_cmp($ptagged_etag, qr/-gt[0-9a-f]{8}"$/, 'with the tagged ETag');

    my $id = probe('range');
    my $ranged = GET '/proxied-plain/article', Range => "bytes=$from-$to",
                     'X-GT-Probe' => $id;
    my $outcome = probe_outcome($id, '/proxied-plain/article');
    t_debug("proxied-plain bytes=$from-$to: " . describe($ranged) . ", outcome $outcome");
    ok t_cmp(range_verdict($ranged, $from, $to, $plain_full), 'consistent',
             'a range the backend cut: consistent with the representation its ETag names');
    ok t_cmp($ranged->code == 206 ? $outcome : 'bypass:status', qr/^bypass:(range|status)$/,
             'a 206 from the backend: the filter stepped aside');
    # Content-Range is looked at before the status
    ok t_cmp($ranged->code == 206 ? $outcome : 'bypass:range', 'bypass:range',
             'a 206 from the backend is reported as bypass:range');

    my $if_tagged = GET '/proxied-plain/article', Range => "bytes=$from-$to",
                        'If-Range' => $ptagged_etag;
    t_debug('If-Range tagged: ' . describe($if_tagged));
    ok t_cmp(range_verdict($if_tagged, $from, $to, $plain_full), 'consistent',
             'If-Range with the tagged ETag through the proxy: consistent');

    my $backend_etag = (GET '/bypass/plain/article')->header('ETag') // '';
    my $if_plain = GET '/proxied-plain/article', Range => "bytes=$from-$to",
                       'If-Range' => $backend_etag;
    t_debug('If-Range untagged: ' . describe($if_plain));
    ok t_cmp(range_verdict($if_plain, $from, $to, $plain_full), 'consistent',
             'If-Range with the untagged ETag through the proxy: consistent');
}
