# The end of the stream: the JSON-LD goes at the end of a page that never
# closes its <body> only when the page ends in ordinary text.  Inside raw
# text, RCDATA, <plaintext>, a comment or a tag it would be shown as text,
# run as script or become part of the tag, so it is left out.
use strict;
use warnings;
use lib 't/engine';
use Test::More;
use GeotagTest;

my $article = '<html lang="it"><body><article><h1>Putin a Pechino</h1>'
    . '<p>Il presidente russo Vladimir Putin.</p></article>';
my $block = qr{<script type="application/ld\+json" id="geotag-jsonld"};

my ($out, $err, $rc) = geotag($article . '<p>fine</p>');
is($rc, 0, 'an unclosed page is tagged');
like($out, qr{<p>fine</p>$block[^<]*</script>$}, 'the JSON-LD goes at its end in data');
($out) = geotag($article . '<p>a < b');
like($out, qr{a < b$block}, 'after a "<" that begins nothing, too');

for my $tail ('<plaintext>Putin', '<script>var a = 1;', '<script><!-- x',
              '<style>p { color: red }', '<textarea>Putin', '<title>Putin',
              '<xmp>Putin', '<iframe>x', '<noembed>x', '<noframes>x',
              '<noscript>x', '<!-- a comment', '<!-- a comment --', '<!DOCTYPE',
              '<? bogus', '<!x', '<div class="x', '<div class=x', '<div ',
              '<div', '</di', '</') {
    ($out, $err, $rc) = geotag($article . $tail);
    is($rc, 0, "ends in '$tail': exit 0");
    unlike($out, $block, "ends in '$tail': no JSON-LD");
    like($out, qr{data-geotag="Person Q7747"}, "ends in '$tail': the article is still tagged");
    is(unwrap($out), $article . $tail, "ends in '$tail': nothing else inserted");
}

# A closed body still gets its block, before </body>, as always.
($out) = geotag($article . '<plaintext>x</body>');
unlike($out, $block, '</body> inside <plaintext> is text, not the end of the body');
($out) = geotag($article . '<script>x</script></body></html>');
like($out, qr{</script>$block[^<]*</script></body></html>$}, 'a closed body: before </body>');

done_testing();
