# The same page gives the same bytes however it is chunked.  The JSON-LD is
# final when its edit is queued (at </body>): facts the page gives after
# it (a canonical link, a headline, a page JSON-LD block, as broken pages
# and appended scripts do) do not change it, whether the consumer renders
# the block at once (a page streamed in small pieces) or after reading
# the rest (a page that arrives whole).  A byte order mark split across
# chunks is still one.  The document is frozen with its language.
use strict;
use warnings;
use lib 't/engine';
use Test::More;
use GeotagTest;

my %pages = (
    'canonical after </html>' =>
        '<html><head></head><body><article><p>Ukraine</p></article></body></html>'
        . '<link rel="canonical" href="https://example.org/a">',
    'page JSON-LD after </body>' =>
        '<html><head></head><body><article><p>Ukraine e Russia</p></article></body>'
        . '<script type="application/ld+json">{"@type":"NewsArticle","@id":"https://example.org/b#a",'
        . '"headline":"Russia"}</script></html>',
    'title after </body>' =>
        '<html><body><article><p>Putin a Mosca</p></article></body><title>Putin</title></html>',
);

for my $name (sort keys %pages) {
    my ($whole) = geotag($pages{$name}, '--chunk', 1000000);
    like($whole, qr{id="geotag-jsonld"}, "$name: tagged, with a JSON-LD block");
    for my $chunk (1, 2, 7, 64) {
        my ($out) = geotag($pages{$name}, '--chunk', $chunk);
        is($out, $whole, "$name: the same bytes in chunks of $chunk");
    }
}
# a second <html lang> after </html>, with no <body>: the JSON-LD was queued
# at </html>, in the language of the first
my $twice = '<html lang="en"><article><p>Ukraine</p></article></html><html lang="it-IT">';
my ($whole_ld) = geotag($twice, '--jsonld', '--chunk', 1000000);
like($whole_ld, qr{"name":"Ukraine"}, 'a later <html lang> does not change a queued JSON-LD');
for my $chunk (1, 7) {
    my ($ld) = geotag($twice, '--jsonld', '--chunk', $chunk);
    is($ld, $whole_ld, "the JSON-LD of a page with two <html lang> in chunks of $chunk");
}

my ($out) = geotag($pages{'canonical after </html>'});
unlike($out, qr{"\@id":"https://example\.org/a"}, 'a canonical link after </html> does not make the subject');

for my $bom ("\xEF\xBB\xBF", "\xFE\xFF") {
    my $page = $bom . '<html><body><article><p>Ukraine</p></article></body></html>';
    my ($whole, $werr) = geotag($page, '--chunk', 1000000, '--status');
    my ($one, $oerr) = geotag($page, '--chunk', 1, '--status');
    (my $ws = $werr) =~ s/, peak-rss-kb \d+//;
    (my $os = $oerr) =~ s/, peak-rss-kb \d+//;
    is("$os $one", "$ws $whole", sprintf('a byte order mark (%vX) fed a byte at a time', $bom));
}
done_testing();
