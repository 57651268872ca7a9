# The engine's invariants (DESIGN §2), on real pages: byte preservation,
# the same output for every chunking, only ASCII inserted, safe JSON-LD,
# bounded memory.
use strict;
use warnings;
use lib 't/engine';
use Test::More;
use File::Temp qw(tempfile);
use GeotagTest;

my @pages = (shared_dir('seed', 'corpus') . '/seed/article.html', glob('t/htdocs/samples/*.html'),
             corpus_pages(40));
ok(@pages >= 30, 'enough pages to test on (' . scalar(@pages) . ')');

my ($tagged_pages, $inserted_total) = (0, 0);
for my $path (@pages) {
    my $page = slurp($path);
    my $name = $path =~ s{.*/shared/}{}r;
    my ($out, $err, $rc) = geotag($page);
    is($rc, 0, "$name: runs") or diag $err;
    my $back = unwrap($out);
    ok($back eq $page, "$name: unwrap gives the original bytes") or do {
        my $i = 0;
        $i++ while $i < length($page) && substr($page, $i, 1) eq substr($back, $i, 1);
        diag "first difference at byte $i: " . substr($back, $i > 40 ? $i - 40 : 0, 120);
    };
    # what was inserted is ASCII: the output minus the input, byte counts by class
    my $extra = length($out) - length($page);
    $inserted_total += $extra;
    $tagged_pages++ if $extra > 0;
    my $high_in = () = $page =~ /[\x80-\xff]/g;
    my $high_out = () = $out =~ /[\x80-\xff]/g;
    is($high_out, $high_in, "$name: no non-ASCII byte inserted");
    # every chunking gives the same output
    my @splits = ([qw(--chunk 1)], [qw(--chunk 3)], [qw(--chunk 1000 --chunk-seed 7)]);
    @splits = ([qw(--chunk 13 --chunk-seed 3)]) if length($page) > 200_000;
    for my $split (@splits) {
        my ($o2) = geotag($page, @$split);
        ok($o2 eq $out, "$name: same output with @$split");
    }
    if ($out =~ /id="geotag-jsonld"/) {
        my $ld = eval { jsonld_of($out) };
        ok($ld && ref $ld->{'@graph'} eq 'ARRAY', "$name: our JSON-LD parses as JSON") or diag $@;
    }
}
ok($tagged_pages >= 5, "markup inserted on several pages ($tagged_pages, $inserted_total bytes)");

# JSON-LD safety: page-controlled strings cannot close our script
{
    my $evil = '<!DOCTYPE html><html lang="en"><head><script type="application/ld+json">'
      . '{"@type":"NewsArticle","@id":"https://example.org/a\u003c/script\u003e\u003c!--\u2028#x"}'
      . '</script></head><body><article><p>Russia and China met.</p></article></body></html>';
    my ($out) = geotag($evil);
    my ($block) = $out =~ m{id="geotag-jsonld" data-geotag="jsonld">(.*?)</script>}s;
    ok(defined $block, 'JSON-LD written for a page with a hostile @id');
    unlike($block // '', qr{<|>|&|[\x80-\xff]}, 'no < > & or non-ASCII inside our script');
    my $ld = jsonld_of($out);
    my ($subject) = grep { ($_->{'@type'} // '') eq 'NewsArticle' } @{ $ld->{'@graph'} || [] };
    is($subject->{'@id'}, "https://example.org/a</script><!--\x{2028}#x", 'and the @id survives exactly');
}
{
    # a gazetteer name that would close the script if written raw
    my ($fh, $dict) = tempfile(SUFFIX => '.xml', UNLINK => 1);
    binmode $fh, ':utf8';
    print $fh qq{<?xml version="1.0" encoding="UTF-8"?>\n<gazetteer xmlns="urn:mod-geotag:gazetteer:1">\n}
      . qq{<entity id="Q1" type="Organization"><name lang="en">Acme &lt;/script&gt;&lt;!--&lt;script&gt; \x{2028} Corp</name><alias>Acme</alias></entity>\n</gazetteer>\n};
    close $fh;
    my ($out, $err, $rc) = geotag('<html><body><main><p>Acme grew.</p></main></body></html>', '--dict', $dict);
    is($rc, 0, 'custom dictionary loads') or diag $err;
    my ($block) = $out =~ m{id="geotag-jsonld" data-geotag="jsonld">(.*?)</script>}s;
    unlike($block // '<', qr{[<>&\x80-\xff]}, 'a hostile entity name is escaped');
    my $ld = jsonld_of($out);
    my ($node) = grep { ($_->{'@id'} // '') =~ /Q1$/ } @{ $ld->{'@graph'} || [] };
    is($node->{name}, "Acme </script><!--<script> \x{2028} Corp", 'and decodes back exactly');
}

# bounded memory: a 100 MB page costs no more than a 1 MB one
sub big_page {
    my ($mb, $path) = @_;
    open my $fh, '>:raw', $path or die;
    print $fh "<!DOCTYPE html><html lang=\"en\"><body><main><article>\n";
    # one mention per ~57 KB paragraph: 100 MB stays under the mention cap,
    # so the whole page is tagged, not cut short
    my $para = "<p>" . ("The weather in the valley was mild and the harvest was late this year. " x 800)
      . "Officials in Russia said so.</p>\n";
    my $n = int($mb * 1_000_000 / length $para) + 1;
    print $fh $para for 1 .. $n;
    print $fh "</article></main></body></html>\n";
    close $fh;
}
sub peak_kb {
    my ($path, @args) = @_;
    my $err = `$GeotagTest::BIN --status @args < $path 2>&1 >/dev/null`;
    my ($kb) = $err =~ /peak-rss-kb (\d+)/;
    my ($status) = $err =~ /geotag: ([a-z-]+),/;
    return ($kb, $status);
}
{
    my (undef, $small) = tempfile(UNLINK => 1);
    my (undef, $large) = tempfile(UNLINK => 1);
    big_page(1, $small);
    big_page(100, $large);
    my ($kb1) = peak_kb($small);
    my ($kb100, $status) = peak_kb($large);
    ok($kb1 && $kb100, "peak RSS measured: 1 MB page $kb1 KB, 100 MB page $kb100 KB");
    is($status, 'tagged', 'the 100 MB page was tagged to its end');
    cmp_ok($kb100 - $kb1, '<', 2048, 'a 100 MB page grows peak memory by less than 2 MB');
    # one text node of 20 MB with no white space, and 200,000 nested elements
    my (undef, $blob) = tempfile(UNLINK => 1);
    open my $fh, '>:raw', $blob or die;
    print $fh '<html><body><article><p>', 'x' x 20_000_000, ' Russia</p>',
      '<div>' x 200_000, 'China', '</div>' x 200_000, '</article></body></html>';
    close $fh;
    my ($kbb) = peak_kb($blob);
    cmp_ok($kbb - $kb1, '<', 2048, "a 20 MB text node and 200,000 nested elements stay bounded ($kbb KB)");
}

done_testing();
