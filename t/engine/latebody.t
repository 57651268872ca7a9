# A page with several </body>, the first before the article, gets its
# JSON-LD at a </body> after the article, or at the end of the document
# (pages pasted together by a CMS); whatever the chunking.
use strict;
use warnings;
use lib 't/engine';
use Test::More;
use GeotagTest;

my $article = '<article><p>La Russia e la Cina.</p></article>';
my @cases = (
    ["<html><body><div>menu</div></body><body>$article</body></html>",
     qr{</article><script type="application/ld\+json" id="geotag-jsonld"[^>]*>.*</script></body></html>$}s,
     'the block goes at the </body> after the article'],
    ["<html><body><div>menu</div></body><body>$article</body><body><div>footer</div></body></html>",
     qr{</article><script type="application/ld\+json" id="geotag-jsonld"[^>]*>.*</script></body><body><div>footer}s,
     'at the first </body> after the article, not a later one'],
    ["<html><body><div>menu</div></body>$article",
     qr{</article><script type="application/ld\+json" id="geotag-jsonld"[^>]*>.*</script>$}s,
     'no </body> after the article: at the end of the document'],
    ["<html><body>$article</body></html>",
     qr{</article><script type="application/ld\+json" id="geotag-jsonld"[^>]*>.*</script></body></html>$}s,
     'one </body>: as always'],
);
for my $c (@cases) {
    my ($page, $re, $what) = @$c;
    my ($out, $err, $rc) = geotag($page);
    like($out, $re, $what) or diag $out;
    is(unwrap($out), $page, "$what: unwrapped, the page as it was");
    my $blocks = () = $out =~ /id="geotag-jsonld"/g;
    is($blocks, 1, "$what: one block");
    for my $chunk (1, 3, 7) {
        my ($o) = geotag($page, '--chunk', $chunk);
        is($o, $out, "$what: the same in chunks of $chunk bytes");
    }
}

done_testing();
