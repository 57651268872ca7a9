# Bucket boundaries anywhere: mod_bucketeer (in front of GEOTAG, see
# t/conf/stream.conf.in) turns each ^B (0x02) of the body into a bucket
# boundary, each ^F (0x06) into a FLUSH bucket and each ^P (0x10) into a
# pass of what it has so far, and removes them.  Whatever the cuts (inside
# tags, character references, UTF-8 sequences, names), the page must come
# out exactly as the geotag command tags the clean page, on a miss (engine)
# and on a hit (stored edits replayed over the pieces).
use strict;
use warnings FATAL => 'all';
use Apache::Test;
use Apache::TestRequest;
use Apache::TestUtil;
use lib 't/engine';
use GeotagTest qw(geotag slurp);
use lib 't/lib';
use GeotagServer qw(nth_outcome write_fixture);

my %variants = (
    'every-byte' => 'a ^B after every byte: one bucket per byte, one pass at the end',
    'pass-flush' => 'a ^P every 7 bytes, a ^F every 13: many passes and flushes',
    'pass-every' => 'a ^P after every byte: one brigade per byte',
);
my @names = sort keys %variants;

plan tests => 1 + 6 * @names, need_module 'mod_geotag.c', need_module 'mod_bucketeer.c';

my $clean = slurp('t/htdocs/samples/it-analisi.html');
my ($expected) = geotag($clean);
ok t_cmp(index($expected, 'data-geotag="Country Q212"') > 0 && $clean !~ /[\x02\x06\x10]/ ? 1 : 0, 1,
         'the clean page has no control characters, and geotag tags it');

sub fixture {
    my ($name) = @_;
    my $out = '';
    my @b = split //, $clean;
    for my $i (0 .. $#b) {
        my $n = $i + 1;
        $out .= $b[$i];
        if ($name eq 'every-byte') {
            $out .= "\x02";
        }
        elsif ($name eq 'pass-every') {
            $out .= "\x10";
        }
        else {
            $out .= "\x10" if $n % 7 == 0;
            $out .= "\x06" if $n % 13 == 0;
        }
    }
    return $out;
}

for my $name (@names) {
    my $fixture = fixture($name);
    # a file modified within the current second gets a weak ETag, and a
    # weak validator is no cache key: written dated back
    write_fixture("stream/bk/$name.html", $fixture);
    my $url = "/stream/bk/$name.html?run=" . time;
    t_debug "$name: $variants{$name}";

    my $miss = GET $url;
    ok t_cmp($miss->code, 200, "$name: served");
    ok t_cmp(nth_outcome($url, 1), qr/^200 miss [1-9][0-9]*$/,
             "$name: the first request runs the engine (logged: miss)");
    ok length($miss->content) == length($expected) && $miss->content eq $expected;
    t_debug sprintf '%s: miss gives the bytes geotag gives for the clean page (%d vs %d bytes)',
        $name, length $miss->content, length $expected;

    my $hit = GET $url;
    ok t_cmp(nth_outcome($url, 2), qr/^200 hit [1-9][0-9]*$/, "$name: the repeat is a cache hit");
    ok $hit->content eq $expected;
    t_debug "$name: the hit replays the same bytes over the pieces";
    ok t_cmp($hit->header('ETag') // '', qr{-gt[0-9a-f]{8}"$}, "$name: tagged ETag");
}
