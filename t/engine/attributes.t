# The attributes the engine reads are found whatever precedes them in the
# tag: a 5 KB hydration attribute or thirty small ones do not hide an
# opt-out, a language or a charset.
use strict;
use warnings;
use lib 't/engine';
use Test::More;
use GeotagTest;

my $props = q(data-props='{"items":") . ('x' x 5000) . q("}');
my $many = join ' ', map { qq{data-a$_="v$_"} } 1 .. 30;
my $text = '<h1>Putin a Pechino</h1><p>Il presidente russo Vladimir Putin.</p>';
my $person = qr{data-geotag="Person Q7747"};

for my $before ([$props, '5 KB attribute'], [$many, '30 attributes']) {
    my ($attrs, $what) = @$before;
    my ($out, $err, $rc) = geotag("<html><body><article><div $attrs data-geotag=\"off\">$text</div></article></body></html>");
    is($rc, 0, "data-geotag=off after a $what: exit 0");
    unlike($out, $person, "data-geotag=off after a $what: not tagged");
    ($out) = geotag("<html><body><article><div $attrs class=\"story geotag-off\">$text</div></article></body></html>");
    unlike($out, $person, "class geotag-off after a $what: not tagged");
    ($out) = geotag("<html><head><meta $attrs name=\"geotag\" content=\"off\"></head><body><article>$text</article></body></html>");
    unlike($out, $person, "<meta name=geotag content=off> after a $what: not tagged");
    ($out) = geotag("<html><body><article><div $attrs>$text</div></article></body></html>");
    like($out, $person, "without the opt-out after a $what: tagged");

    # The language: North Korea is an English name, Corea del Nord Italian.
    my $page = "<html $attrs lang=\"en\"><body><article><p>La Corea del Nord. North Korea.</p></article></body></html>";
    ($out) = geotag($page, '--mentions');
    my @texts = map { (split /\t/)[4] } split /\n/, $out;
    is_deeply(\@texts, ['North Korea'], "<html lang> after a $what: only the page's language matches");

    # The charset: windows-1252 text read as such.
    ($out) = geotag("<html><head><meta $attrs charset=\"windows-1252\"></head><body><article><p>Vladimir Putin \xe0 Pechino.</p></article></body></html>", '--jsonld');
    like($out, qr/Q7747/, "<meta charset> after a $what: the page is read");
    ($out, $err, $rc) = geotag("<html><head><meta $attrs charset=\"shift_jis\"></head><body><article><p>Vladimir Putin.</p></article></body></html>");
    unlike($out, $person, "<meta charset> after a $what: an unreadable charset is seen");

    # A scope rule's attribute.
    ($out) = geotag("<html><body><div $attrs role=\"main\">$text</div></body></html>");
    like($out, $person, "[role=main] after a $what: the scope opens");
}

# The same page in pieces: the geotag command reads standard input in
# chunks, so a long tag spans several of them.
my $long = join ' ', map { "data-b$_='" . ('y' x 300) . "'" } 1 .. 40;
my ($out) = geotag("<html><body><article><div $long data-geotag=\"off\">$text</div></article></body></html>");
unlike($out, $person, 'data-geotag=off after 12 KB of attributes: not tagged');

done_testing();
