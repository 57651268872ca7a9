# The edit cache: a fresh URL is a miss and is stored, the repeat is a hit
# with the same bytes, replayed over the file's own buckets (zero copy);
# the second replay keeps the tagged page in the child's memory, and later
# hits come from there (GeoTagCacheMemory);
# the key holds the URL (a query string is another entry) and the source's
# validator (a changed file is a miss); a response without a validator is
# never cached and is tagged every time.
use strict;
use warnings FATAL => 'all';
use Apache::Test;
use Apache::TestRequest;
use Apache::TestUtil;
use JSON::PP ();
use lib 't/lib';
use GeotagServer qw(disk bytes_diff markup result_of probe probe_outcome write_fixture);

plan tests => 33, need_module 'mod_geotag.c', 'mime', need_cgi;

# The server-wide counters (geotag-status ?json).
sub counters {
    my $r = GET '/geotag-status?json';
    die 'geotag-status: ' . $r->status_line unless $r->is_success;
    return JSON::PP::decode_json($r->content)->{counters};
}
sub delta {
    my ($before, $after, $key) = @_;
    return $after->{$key} - $before->{$key};
}

# A copy of a sample under a name no one asked for yet: a fresh key.  Its
# mtime is set back: httpd gives a file changed within the last second a
# weak ETag, which is no validator to cache by.
my $name = "cache-$$.html";
my $url = "/bypass/$name";
my $source = disk('samples/it-analisi.html');
write_fixture("bypass/$name", $source, 120);

# 1-4: a miss, stored
my $c0 = counters();
my $first = GET $url;
ok t_cmp(result_of($first), 'miss', 'the first request of a fresh URL is a miss');
ok t_cmp(markup($first->content), 'tagged', 'and is tagged');
my $c1 = counters();
ok t_cmp(delta($c0, $c1, 'cache_misses'), 1, 'cache_misses grew by 1');
ok t_cmp(delta($c0, $c1, 'cache_stores'), 1, 'the result was stored (cache_stores +1)');

# 5-10: hits, replayed over the file buckets
my $second = GET $url;
ok t_cmp(result_of($second), 'hit', 'the second request is a hit');
ok t_cmp(bytes_diff($second->content, $first->content), 'identical',
         'the hit gives the bytes of the miss');
my $c2 = counters();
ok t_cmp(delta($c1, $c2, 'cache_hits'), 1, 'cache_hits grew by 1');
my $zero_copy = delta($c1, $c2, 'bytes_zero_copy');
# A hit passes every stretch of the file of at least 4096 bytes between two
# insertions in the file's own buckets (sendfile), and copies the shorter
# ones with the markup (mod_geotag.c, "Output shape").  The stretches are
# read off the tagged page: where our markup sits in the original bytes.
my ($expected, $at, $last) = (0, 0, 0);
my $tagged = $first->content;
while ($tagged =~ m{\G(.*?)(<span data-geotag="[A-Za-z]+ (?:Q[0-9]+|geotag-[a-z0-9-]+)">|</span>|<data data-geotag="figure[^"]*" value="[0-9.]+">|</data>|<time data-geotag="date" datetime="[0-9-]+">|</time>|<script type="application/ld\+json" id="geotag-jsonld" data-geotag="jsonld">[^<]*</script>)}gs) {
    $at += length $1;
    $expected += $at - $last if $at - $last >= 4096;
    $last = $at;
}
$expected += length($source) - $last if length($source) - $last >= 4096;
ok t_cmp($zero_copy, $expected,
         "a hit passes the long edit-free stretches in the file's own buckets "
         . "(bytes_zero_copy +$zero_copy of a " . length($source) . '-byte file)');
my $third = GET $url;
ok t_cmp(result_of($third) . ', ' . bytes_diff($third->content, $first->content),
         'hit, identical', 'the third request is a hit with the same bytes');
my $c3 = counters();
ok t_cmp(delta($c2, $c3, 'cache_hits'), 1, 'cache_hits grew by 1 again');

# 11-17: the second replay in a child kept the page in its memory; the next
# hits come from there: the same bytes, the file not even read.  The test
# server may run more than one child: ask until one answers from memory.
{
    my ($from_memory, $tries, $same, $c_before, $c_after) = (0, 0, 1);
    while (!$from_memory && $tries++ < 8) {
        $c_before = counters();
        my $r = GET $url;
        $c_after = counters();
        $same &&= bytes_diff($r->content, $first->content) eq 'identical'
                  && result_of($r) eq 'hit';
        $from_memory = delta($c_before, $c_after, 'cache_memory_hits');
    }
    ok t_cmp($from_memory, 1, 'a later hit is answered from the child\'s memory');
    ok t_cmp($same ? 'hits, identical' : 'different', 'hits, identical',
             'every repeat is a hit with the bytes of the miss');
    ok t_cmp(delta($c1, $c_before, 'cache_memory_stores') >= 1 ? 'stored before' : 'not stored',
             'stored before', 'a replay kept the page in memory first (cache_memory_stores)');
    ok t_cmp(delta($c_before, $c_after, 'bytes_zero_copy'), 0,
             'the page is not read: nothing of it passes (bytes_zero_copy +0)');
    ok t_cmp(delta($c_before, $c_after, 'bytes_in'), length($source),
             'its length still counts as bytes in');
    ok t_cmp(delta($c_before, $c_after, 'bytes_inserted'),
             length($first->content) - length($source), 'and our bytes as inserted');
    my $head = HEAD $url;
    ok t_cmp($head->header('Content-Length'), length($first->content),
             'HEAD gives the tagged Content-Length');
    ok t_cmp($head->header('ETag'), $first->header('ETag'), 'and the tagged ETag');
}

# the same with EnableSendfile On: the tagged page is kept in an in-memory
# file and a hit sends it with sendfile, as a static file
# (pages of 32 KB and more, tagged: the sample with its paragraphs five times)
{
    my $big = "cache-big-$$.html";
    (my $bigsource = $source) =~ s{((?:<p>.*?</p>\s*)+)}{$1 x 5}se
        or die 'no paragraphs in the sample';
    write_fixture("bypass/$big", $bigsource, 120);
    my $surl = "/sendfile/$big";
    my $miss = GET $surl;
    my ($c_before, $c_after, $from_memory, $same, $last) = (undef, undef, 0, 1);
    # a child keeps a page in its memory once it replayed it twice, and
    # the requests go to whichever child accepts them: enough tries that
    # one child sees three
    for my $try (1 .. 40) {
        $c_before = counters();
        $last = GET $surl;
        $c_after = counters();
        $same &&= bytes_diff($last->content, $miss->content) eq 'identical';
        $from_memory = delta($c_before, $c_after, 'cache_memory_hits');
        last if $from_memory && $try > 3;
    }
    ok t_cmp(length($miss->content) >= 32768 ? 'big' : length($miss->content), 'big',
             'the tagged page is over 32 KB (kept in an in-memory file)');
    ok t_cmp($from_memory, 1, 'EnableSendfile On: a repeat is answered from memory');
    ok t_cmp($same ? 'identical' : 'different', 'identical',
             'with the bytes of the miss every time');
    ok t_cmp($last->header('Content-Length'), length($miss->content),
             'and the tagged Content-Length');
}

# 18-20: the URL is part of the key
{
    my $q = GET "$url?variant=1";
    ok t_cmp(result_of($q), 'miss', 'the same file under a query string: a miss first');
    ok t_cmp(markup($q->content), 'tagged', 'tagged');
    ok t_cmp(result_of(GET "$url?variant=1"), 'hit', 'then a hit');
}

# 21-23: so is the source's validator: a changed file is tagged anew
{
    (my $changed = $source) =~ s{(<div class="entry-content">)}
        {$1\n    <p>Aggiornamento: la Germania e la Francia hanno commentato.</p>}
        or die 'no entry-content in the sample';
    write_fixture("bypass/$name", $changed);
    my $r = GET $url;
    ok t_cmp(result_of($r), 'miss', 'a changed file is a miss');
    ok t_cmp($r->content =~ m{Aggiornamento: la <span data-geotag="Country Q183">Germania</span>}
             ? 'the new text, tagged' : 'not the new text',
             'the new text, tagged', 'the new text is served, tagged');
    ok t_cmp(result_of(GET $url), 'hit', 'and then cached');
}

# 24-28: no validator (a CGI), no cache: tagged every time
{
    my $uri = '/bypass-cgi/article.pl';
    my $before = counters();
    my @outcomes;
    my @bodies;
    for (1, 2) {
        my $id = probe('cache');
        my $r = GET $uri, 'X-GT-Probe' => $id;
        push @bodies, $r->content;
        push @outcomes, probe_outcome($id, $uri);
    }
    my $after = counters();
    ok t_cmp($outcomes[0], 'uncached:validator',
             'a response without a validator: uncached:validator');
    ok t_cmp($outcomes[1], 'uncached:validator', 'and again');
    ok t_cmp(markup($bodies[0]) . ' ' . markup($bodies[1]), 'tagged tagged',
             'both tagged');
    ok t_cmp(bytes_diff($bodies[1], $bodies[0]), 'identical', 'with the same bytes');
    ok t_cmp(join(' ', map { delta($before, $after, $_) }
                  qw(cache_hits cache_misses cache_stores tagged uncached_validator)),
             '0 0 0 2 2', 'no cache lookup nor store; tagged +2, uncached_validator +2');
}
