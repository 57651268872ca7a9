# The engine behind a real httpd: what it reads in a tag and where the
# JSON-LD may go at the end of a page (fixtures: t/htdocs/tagged/engine/).
use strict;
use warnings FATAL => 'all';
use Apache::Test;
use Apache::TestRequest;
use Apache::TestUtil;

plan tests => 18, need_module 'mod_geotag.c';

my $base = '/tagged/engine';
my $block = qr{<script type="application/ld\+json" id="geotag-jsonld" data-geotag="jsonld">};
my $person = qr{data-geotag="Person Q7747"};

# A page that never closes its body: the block goes at the end only when
# the page ends in ordinary text.
my $r = GET "$base/eos-data.html";
ok t_cmp($r->code, 200, 'an unclosed page is served');
ok t_cmp($r->content, qr{<p>fine</p>\n$block[^<]*</script>\z}, 'ending in text: the JSON-LD at its end');
for my $page (qw(plaintext script textarea comment tag)) {
    $r = GET "$base/eos-$page.html";
    ok t_cmp($r->content, qr{\A(?!.*geotag-jsonld)}s, "ending inside a $page: no JSON-LD");
    ok t_cmp($r->content, $person, "ending inside a $page: the article is tagged");
}

# The attributes the engine reads, after a 5 KB attribute or thirty others.
$r = GET "$base/attr-none.html";
ok t_cmp($r->content, $person, 'after a 5 KB attribute, no opt-out: tagged');
$r = GET "$base/attr-optout.html";
ok t_cmp($r->content, qr{\A(?!.*data-geotag="Person)}s, 'data-geotag="off" after a 5 KB attribute: not tagged');
$r = GET "$base/attr-class.html";
ok t_cmp($r->content, qr{\A(?!.*data-geotag="Person)}s, 'class="geotag-off" after 30 attributes: not tagged');
$r = GET "$base/attr-meta.html";
ok t_cmp($r->content, qr{\A(?!.*data-geotag=)}s, '<meta name="geotag" content="off"> after a 5 KB attribute: untouched');
$r = GET "$base/attr-lang.html";
ok t_cmp($r->content, qr{<span data-geotag="Country Q423">North Korea</span>},
         '<html lang="en"> after 30 attributes: the English name is tagged');
ok t_cmp($r->content, qr{\A(?!.*>Corea del Nord</span>)}s,
         'and the Italian one is not (the page is English)');
