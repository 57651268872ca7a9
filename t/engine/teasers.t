# An article followed by teaser <article>s is an article page; several
# sibling articles are a listing (docs/architecture.md, "Listings and
# teasers").  The first top-level article is the page's subject when the
# page declares an article (its JSON-LD or og:type) and the later ones sit
# in an <aside>, a <section> or a box whose class or id names a related-
# stories cue: that article is tagged, never the teasers, and the JSON-LD
# is written.  Otherwise the page is a listing, left untouched.  Edits
# already released past the hold (32 KB) are never withdrawn, and a page
# that keeps markup always gets its JSON-LD.  Every page gives the same
# bytes however it is chunked.
use strict;
use warnings;
use File::Temp qw(tempdir);
use lib 't/engine';
use Test::More;
use GeotagTest;

my $OG       = '<meta property="og:type" content="article">';
my $LD       = '<script type="application/ld+json">{"@context":"https://schema.org",'
             . '"@type":"NewsArticle","headline":"Russia and China"}</script>';
my $STORY    = '<article><h1>Russia and China</h1>'
             . '<p>Russia and China met in Moscow on Monday.</p></article>';
my $TEASER   = '<article><h2><a href="/x">Ukraine</a></h2><p>Talks in Ukraine and Iran.</p></article>';
# 40 KB of text without a name: the hold (32 KB after the first edit) ends
# inside it
my $PADDING  = '<p>' . ('The weather was mild and the market was calm. ' x 900) . '</p>';
my $LONG     = '<article><h1>Russia and China</h1><p>Russia and China met in Moscow.</p>'
             . $PADDING . '<p>Later China spoke again.</p></article>';

sub page {
    my ($head, $body) = @_;
    return qq{<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">$head}
         . qq{<title>t</title></head><body>$body</body></html>};
}

# Tags the page; checks that unwrapping gives it back and that chunking
# changes nothing.  Returns the output, the status word and the mentions
# (offset => id).
sub run {
    my ($page, $what, @args) = @_;
    my ($out, $err, $rc) = geotag($page, '--status', @args);
    is($rc, 0, "$what: exit 0");
    is(unwrap($out), $page, "$what: unwrapped, the page as it was");
    # byte by byte on the short pages (the long ones: 13 bytes)
    my $small = length $page < 8192 ? 1 : 13;
    for my $chunk (['--chunk', $small], ['--chunk', 7], ['--chunk-seed', 3, '--chunk', 900]) {
        my ($o) = geotag($page, @args, @$chunk);
        ok($o eq $out, "$what: the same with @$chunk");
    }
    my ($status) = $err =~ /geotag: ([a-z-]+)/;
    my ($m) = geotag($page, '--mentions', @args);
    my %at = map { (split /\t/)[0, 3] } grep { length } split /\n/, $m;
    return ($out, $status // '', \%at);
}

# The page is tagged as an article: its JSON-LD is there, naming Russia,
# and none of the teasers' names (Ukraine, Iran) is marked.
sub article_page {
    my ($page, $what, @args) = @_;
    my ($out, $status) = run($page, $what, @args);
    is($status, 'tagged', "$what: tagged");
    like($out, qr{<span data-geotag="Country Q159">Russia</span>}, "$what: the article is tagged");
    unlike($out, qr{data-geotag="[A-Za-z]+ Q(?:212|794)"}, "$what: no teaser is");
    my $doc = jsonld_of($out);
    ok($doc, "$what: the JSON-LD is written");
    my $json = $doc ? JSON::PP->new->canonical->encode($doc) : '';
    like($json, qr{Q159}, "$what: it names the article's entities");
    unlike($json, qr{Q212|Q794}, "$what: not the teasers'");
    return $out;
}

sub listing {
    my ($page, $what, @args) = @_;
    my ($out, $status) = run($page, $what, @args);
    is($status, 'listing', "$what: a listing");
    ok($out eq $page, "$what: untouched");
}

# -- teasers within the hold: the page declares an article -----------------

article_page(page($OG, "$STORY<aside>$TEASER$TEASER</aside>"),
             'teasers in an <aside>');
article_page(page($OG, "$STORY<section class=\"more\"><h2>More</h2>$TEASER$TEASER</section>"),
             'teasers in a <section>');
article_page(page($LD, "$STORY<div class=\"related-stories\"><div>$TEASER</div>$TEASER</div>"),
             'teasers in a related-stories box, NewsArticle in the JSON-LD');
article_page(page($OG, "$STORY<ul id=\"box-Correlati\"><li>$TEASER<li>$TEASER</ul>"),
             'an Italian cue, in an id, any case');
article_page(page('', "$STORY<section>$TEASER$TEASER</section>$LD"),
             'the JSON-LD after the teasers, before </body>');
article_page(page($OG, "<main><p>Intro.</p>$STORY<section>$TEASER</section><p>Later Moscow.</p></main>"),
             'in a <main> scope the teasers are left out too');

# -- listings ---------------------------------------------------------------

listing(page('<meta property="og:type" content="website">', "<main>$STORY$TEASER$TEASER</main>"),
        'sibling articles (og:type website)');
listing(page($OG, "$STORY$TEASER$TEASER"),
        'sibling articles, though the page declares an article');
listing(page('', "$STORY<section>$TEASER$TEASER</section>"),
        'teasers but no article declared');
listing(page($OG, "<section>$STORY$TEASER</section>"),
        'a section around the first article too: siblings');
listing(page($OG, "$STORY<section>$TEASER</section>$TEASER"),
        'a teaser, then a sibling');
listing(page($OG, "<div class=\"related-stories\">$STORY$TEASER</div>"),
        'a cue box around the first article too: siblings');
{
    # without the packs' <related-cue> words the box is no cue: the test
    # can fail
    my ($dir, $removed) = packs_without(tempdir(CLEANUP => 1) . '/lang', 'related-cue');
    ok($removed->{en} > 0 && $removed->{it} > 0, 'the packs lose their cues');
    listing(page($LD, "$STORY<div class=\"related-stories\">$TEASER</div>"),
            'without the cues, a related-stories box', '--lang-packs', $dir);
}

# -- the decision after the hold ----------------------------------------------

{
    # edits released past the hold are never withdrawn, and the page keeps
    # its JSON-LD, whatever comes after: teasers without a declaration ...
    my $out = article_page(page('', "$LONG<section>$TEASER</section>"),
                           'past the hold, teasers and nothing declared');
    like($out, qr{Later <span data-geotag="Country Q148">China</span>},
         'past the hold: the end of the article is tagged too');
    # ... or sibling articles
    article_page(page('', "$LONG$TEASER$TEASER"), 'past the hold, sibling articles');
    article_page(page($OG, "$LONG<section>$TEASER</section>$TEASER"),
                 'past the hold, teasers then a sibling');
}
{
    # teasers within the hold and the declaration only past it: at the
    # hold's end the page is a listing, the edits held are withdrawn
    my $page = page('', "$STORY<section>$TEASER</section>$PADDING$LD");
    listing($page, 'the declaration comes past the hold');
    # within the hold it comes in time
    article_page(page('', "$STORY<section>$TEASER</section>$LD$PADDING"),
                 'the declaration comes within the hold');
}

# -- corpus pages ---------------------------------------------------------------

my $corpus = shared_dir('corpus') . '/corpus/pages';

# The offsets of the top-level <article> elements after the first one that
# is outside <nav> and <aside>, as [start, end] pairs (scripts and comments
# blanked out first).
sub later_articles {
    my ($html) = @_;
    (my $s = $html) =~ s{(<!--.*?-->|<script\b.*?</script\s*>|<style\b.*?</style\s*>)}{' ' x length $1}gsei;
    my ($depth, $nav, $first, @spans) = (0, 0, 0);
    while ($s =~ m{<(/?)(article|nav|aside)\b[^>]*>}gi) {
        my ($end, $name, $at) = ($1, lc $2, $-[0]);
        if ($name ne 'article') {
            $nav += $end ? ($nav > 0 ? -1 : 0) : 1;
            next;
        }
        if (!$end) {
            if ($depth++ == 0) {
                if (!$first && !$nav) { $first = 1 }
                elsif ($first) { push @spans, [$at, undef] }
            }
        }
        elsif ($depth > 0 && --$depth == 0 && @spans && !defined $spans[-1][1]) {
            $spans[-1][1] = $at;
        }
    }
    return map { [$_->[0], $_->[1] // length $s] } @spans;
}

# Each page: [path, what makes it an article page]
my @articles = (
    ['postlight/www.prospectmagazine.co.uk.html',
     'a long magazine article, then "more from" teasers in a <section>: the decision comes past the hold'],
    ['article-extraction-benchmark/html/f5c90a6d5253c3a21ff3168c64bea4b5ffade7a1ba5bed952a59ebee0d648d98.html.gz',
     'a NewsArticle, then a most-popular box: past the hold'],
    ['fundus/fr/LeFigaro_2024_11_22.html.gz',
     'an Article, then suggested articles in a <section>: past the hold'],
    ['readability/nytimes-1.html',
     'og:type article, then related coverage in a <section>: within the hold'],
    ['fundus/de/LTO_2025_10_20.html.gz',
     'og:type article, then teasers in section.content__related: within the hold'],
    ['trafilatura/die-tagespost.de.Demut.html',
     'a NewsArticle, then section.article__teaser: within the hold'],
);
for my $p (@articles) {
    my ($path, $why) = @$p;
    my $html = slurp("$corpus/$path");
    my ($out, $err) = geotag($html, '--status');
    like($err, qr/geotag: tagged/, "$path: tagged ($why)");
    ok(jsonld_of($out), "$path: with its JSON-LD");
    is(unwrap($out), $html, "$path: unwrapped, the page as it was");
    my ($m) = geotag($html, '--mentions');
    my @at = map { (split /\t/)[0] } grep { length } split /\n/, $m;
    my @spans = later_articles($html);
    ok(@spans >= 1, "$path: it has teasers (" . scalar(@spans) . ')');
    my @inside = grep { my $o = $_; grep { $o >= $_->[0] && $o < $_->[1] } @spans } @at;
    ok(@at > 0 && !@inside, "$path: " . scalar(@at) . ' mentions, none in a teaser')
        or diag "in teasers at: @inside";
}

# Pages that stay listings: siblings, or teasers without a declaration.
for my $path ('postlight/www.westernjournalism.com.html',
              'readability/la-nacion.html') {
    my $html = slurp("$corpus/$path");
    my ($out, $err) = geotag($html, '--status');
    like($err, qr/geotag: listing/, "$path: a listing");
    ok($out eq $html, "$path: untouched");
}

done_testing();
