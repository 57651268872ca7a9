# The reference article: what must come out tagged, and what must not.
use strict;
use warnings;
use lib 't/engine';
use Test::More;
use GeotagTest;

my $page = slurp(shared_dir() . '/seed/article.html');
my ($out, $err, $rc) = geotag($page);
is($rc, 0, 'geotag runs on the reference page') or diag $err;
is(unwrap($out), $page, 'unwrapping our markup gives the page back byte for byte');

my $ld = jsonld_of($out);
ok($ld, 'one JSON-LD block is appended') or BAIL_OUT('no JSON-LD');
my @graph = @{ $ld->{'@graph'} || [] };
my ($subject) = grep { ($_->{'@id'} // '') =~ /#article$/ } @graph;
ok($subject, "the page's own article node is reused by its \@id");
is($subject->{'@id'},
   'https://example.org/approfondimenti/putin-kim-convergenza-antidemocratica/#article',
   'exact article @id');
is_deeply($subject->{'@type'}, 'NewsArticle', 'its @type is copied, not changed');
ok(!exists $subject->{headline}, 'no page property is restated');

my %node = map { ($_->{'@id'} // '') => $_ } @graph;
my %about = map { $_->{'@id'} => 1 } grep { $_->{'@id'} } @{ $subject->{about} || [] };
my %mentioned = (%about, map { $_->{'@id'} => 1 } grep { $_->{'@id'} } @{ $subject->{mentions} || [] });

my %want = (
    'Vladimir Putin' => 'Q7747', 'Kim Jong-un' => 'Q56226', Russia => 'Q159',
    'North Korea' => 'Q423', 'South Korea' => 'Q884', Ukraine => 'Q212',
    China => 'Q148', Iran => 'Q794', 'United States' => 'Q30', Japan => 'Q17',
    NATO => 'Q7184', 'United Nations' => 'Q1065',
    'United Nations Security Council' => 'Q37470', 'European Union' => 'Q458',
    Syria => 'Q858', 'North Vietnam' => 'Q172640',
    # the sanctions monitoring team's eleven members
    Australia => 'Q408', Canada => 'Q16', France => 'Q142', Germany => 'Q183',
    Netherlands => 'Q55', 'New Zealand' => 'Q664', 'United Kingdom' => 'Q145',
    Italy => 'Q38',
);
# ids the gazetteer decides (not fixed here): looked up by English name; an
# id nobody confirmed is never published: the entity is then a node of the
# page (its IRI, '#geotag-' and a slug of its English name)
my $page_iri = 'https://example.org/approfondimenti/putin-kim-convergenza-antidemocratica/';
my %iri;
for my $name ('State Duma', 'BRICS') {
    my ($id, $verified) = gazetteer_id($name);
    ok($id, "the gazetteer has $name") or next;
    if ($verified) {
        $want{$name} = $id;
        next;
    }
    (my $slug = lc $name) =~ s/[^a-z0-9]+/-/g;
    $iri{$name} = "$page_iri#geotag-$slug";
    unlike($out, qr/\b\Q$id\E\b/, "the unconfirmed id of $name is nowhere in the page");
}
{
    my $xml = slurp('conf/gazetteer.xml');
    my ($treaty) = $xml =~ m{<entity id="(Q[0-9]+)" type="Legislation"[^>]*>(?:(?!</entity>).)*<party ref="Q159"/>\s*<party ref="Q423"/>}s;
    ok($treaty, 'the gazetteer has the 2024 Russia-North Korea treaty');
    $want{'the 2024 Russia-North Korea treaty'} = $treaty if $treaty;
}
$iri{$_} = "http://www.wikidata.org/entity/$want{$_}" for keys %want;
for my $name (sort keys %iri) {
    my $iri = $iri{$name};
    ok($mentioned{$iri}, "JSON-LD about/mentions: $name");
    ok($node{$iri} && $node{$iri}{'@type'} && $node{$iri}{name},
       "JSON-LD node for $name with type and name");
}
ok($about{'http://www.wikidata.org/entity/Q7747'}, 'Putin is what the article is about (headline)');
ok($about{'http://www.wikidata.org/entity/Q56226'},
   'Kim (short form in the headline) counts for about once the full name appears');
my $treaty_iri = "http://www.wikidata.org/entity/" . ($want{'the 2024 Russia-North Korea treaty'} // 'none');
is($node{$treaty_iri}{'@type'}, 'Legislation', 'the treaty is a Legislation node');
is($node{$treaty_iri}{legislationDate}, '2024-06-19', 'with its signing date from the gazetteer');
my @sameas = @{ $node{'http://www.wikidata.org/entity/Q7747'}{sameAs} || [] };
ok((grep { $_ eq 'https://www.wikidata.org/wiki/Q7747' } @sameas), 'sameAs the Wikidata page');
ok((grep { m{^https://it\.wikipedia\.org/wiki/} } @sameas), 'sameAs Wikipedia in the page language');

# teasers, navigation and footer never count
for my $absent (qw(Q22686 Q1028)) { # Trump (teaser), Morocco (teaser)
    ok(!$mentioned{"http://www.wikidata.org/entity/$absent"}, "teaser-only entity $absent is not mentioned");
}

# inline figures and dates
like($out, qr{<data data-geotag="figure" value="10000">10mila</data>}, '10mila soldati');
like($out, qr{<data data-geotag="figure" value="2800000">2,8 milioni</data>}, '2,8 milioni di proiettili');
like($out, qr{<data data-geotag="figure" value="2900000">2,9 milioni</data>}, '2,9 milioni di proiettili');
like($out, qr{<data data-geotag="figure" value="100000">100\.000</data>}, '100.000 in meno');
like($out, qr{<time data-geotag="date" datetime="2024-06">giugno 2024</time>}, 'giugno 2024');
like($out, qr{<span data-geotag="Person Q7747">Vladimir Putin</span>}, 'Putin marked up');
like($out, qr{<span data-geotag="Person Q56226">Kim Jong-un</span>}, 'Kim Jong-un marked up');
like($out, qr{il <span data-geotag="Person Q7747">presidente russo</span> e il <span data-geotag="Person Q56226">leader nordcoreano</span>},
     'the role phrases of the treaty sentence are the holders on the page date (2024-10-28)');
# the sentence names its parties by role phrases only ("tra il presidente
# russo e il leader nordcoreano"): their states count for the treaty
like($out, qr{<span data-geotag="Legislation Q[0-9]+">accordo</span> di difesa firmato}, 'the described treaty is marked up');
like($out, qr{Questo <span data-geotag="Legislation Q[0-9]+">patto</span>}, '"Questo patto" refers back to it');
my ($h1) = $out =~ m{<h1 class="entry-title">(.*?)</h1>}s;
like($h1, qr{</span> e Kim,}, 'the headline short form "Kim" (before the full name) is not marked up');

# where markup may appear: only inside <article class="post"> (+ the JSON-LD before </body>)
my $art_start = index($page, '<article class="post">');
my $art_end = index($page, '</article>', $art_start);
my ($mentions) = geotag($page, '--mentions');
my @lines = split /\n/, $mentions;
ok(@lines >= 40, 'at least 40 mentions reported (' . scalar(@lines) . ')');
my @outside = grep { my ($o) = split /\t/; $o < $art_start || $o > $art_end } @lines;
is(scalar(@outside), 0, 'no mention outside the article (head, nav, teasers, footer, scripts, comments)')
    or diag join "\n", @outside[0 .. ($#outside > 5 ? 5 : $#outside)];
my ($head_out) = $out =~ m{^(.*?)<body}s;
unlike($head_out, qr{data-geotag}, 'nothing inserted in <head>');
my ($aside_out) = $out =~ m{(<aside.*?</aside>)}s;
unlike($aside_out, qr{data-geotag}, 'nothing inserted in the related-article teasers');
like($out, qr{<script type="application/ld\+json" id="geotag-jsonld" data-geotag="jsonld">[^<]*</script></body>},
     'the JSON-LD sits right before </body>');

done_testing();
