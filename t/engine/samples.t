# The project's own sample pages: the behaviours a reader and an editor see.
use strict;
use warnings;
use lib 't/engine';
use Test::More;
use GeotagTest;

my $dir = 't/htdocs/samples';

{   # Italian analysis: a page article @id, typographic apostrophes, entities
    my $page = slurp("$dir/it-analisi.html");
    my ($out, $err, $rc) = geotag($page);
    is($rc, 0, 'it-analisi: runs') or diag $err;
    my $ld = jsonld_of($out);
    my ($subject) = grep { ($_->{'@id'} // '') =~ /#article$/ } @{ $ld->{'@graph'} };
    ok($subject, 'it-analisi: the page\'s NewsArticle @id is reused');
    my %ids = map { ($_->{'@id'} // '') => $_ } @{ $ld->{'@graph'} };
    for my $q (qw(Q7747 Q159 Q212 Q43 Q148 Q30 Q1065 Q7184 Q458)) {
        ok($ids{"http://www.wikidata.org/entity/$q"}, "it-analisi: $q in the JSON-LD");
    }
    like($out, qr{<span data-geotag="Country Q212">Ucraina</span>}, 'it-analisi: Ucraina after &rsquo; is matched');
    like($out, qr{<span data-geotag="Country Q159">Mosca</span> ha risposto}, 'it-analisi: a capital as metonym');
    like($out, qr{<data data-geotag="figure[^"]*" value="3000000">3&nbsp;milioni</data>}, 'it-analisi: a figure with &nbsp;');
    like($out, qr{<data data-geotag="figure percent" value="30">30%</data>}, 'it-analisi: a percentage');
    like($out, qr{<time data-geotag="date" datetime="2023-07-17">17 luglio 2023</time>}, 'it-analisi: a full date');
    my ($optout) = $out =~ m{(<p[^>]*data-geotag="off".*?</p>)}s;
    ok($optout, 'it-analisi: has an opted-out paragraph');
    unlike($optout // 'data-geotag="x', qr{data-geotag="(?!off)}, 'it-analisi: nothing tagged inside data-geotag="off"');
    my ($code) = $out =~ m{(<code>.*?</code>)}s;
    unlike($code // '', qr{data-geotag}, 'it-analisi: nothing tagged inside <code>');
}

{   # English analysis: no article @id -> WebPage node; traps
    my $page = slurp("$dir/en-analysis.html");
    my ($out, $err, $rc) = geotag($page);
    is($rc, 0, 'en-analysis: runs') or diag $err;
    my $ld = jsonld_of($out);
    my ($subject) = grep { ($_->{'@type'} // '') eq 'WebPage' } @{ $ld->{'@graph'} };
    ok($subject, 'en-analysis: about/mentions hang on a WebPage node');
    is($subject->{'@id'}, 'https://example.org/analysis/north-korea-russia-pact-sanctions/',
       'en-analysis: the WebPage is the page\'s mainEntityOfPage');
    ok(!(grep { ($_->{'@type'} // '') =~ /Article/ } @{ $ld->{'@graph'} }), 'en-analysis: no Article is minted');
    like($out, qr{<data data-geotag="figure" value="10000">10,000</data> troops}, 'en-analysis: 10,000 troops');
    like($out, qr{<data data-geotag="figure money" value="60000000000">\$60bn</data>}, 'en-analysis: $60bn');
    like($out, qr{<time data-geotag="date" datetime="2024-06-19">19 June 2024</time>}, 'en-analysis: 19 June 2024');
    like($out, qr{the <span data-geotag="Legislation Q[0-9]+">pact</span>}, 'en-analysis: "the pact" refers back to the described treaty');
    my ($pact) = $out =~ m{Legislation (Q[0-9]+)">pact</span>, the sanctions regime};
    ok($pact, 'en-analysis: the described defence pact is resolved');
    like($out, qr{Legislation \Q$pact\E">pact</span> in public}, 'en-analysis: a later "the pact" refers to it, not to a treaty named in between');
    my ($npt) = $out =~ m{Legislation (Q[0-9]+)">Non-Proliferation Treaty</span>};
    like($out, qr{the <span data-geotag="Legislation \Q$npt\E">treaty</span>\xe2\x80\x99s depositary}, 'en-analysis: "the treaty" refers to the Non-Proliferation Treaty named before it');
    like($out, qr{Article 5 of the}, 'en-analysis: "Article 5" is not a figure');
    unlike($out, qr{data-geotag="[^"]*">us</span>}, 'en-analysis: the pronoun "us" is never tagged');
    unlike($out, qr{data-geotag="[^"]*">turkey</span>}, 'en-analysis: the bird "turkey" is never tagged');
    unlike($out, qr{data-geotag="[^"]*">Georgia</span>}, 'en-analysis: Georgia the US state is not tagged as the country');
}

{   # a listing is not an article: left untouched
    my $page = slurp("$dir/index.html");
    my ($out, $err, $rc) = geotag($page, '--status');
    is($rc, 0, 'index: runs');
    is($out, $page, 'index (a listing): bytes untouched');
    like($err, qr/geotag: (listing|nothing-found)/, 'index: reported as a listing');
}

{   # editor and page opt-outs, already tagged pages
    my $base = '<html lang="en"><head>%s</head><body><main><p>Russia and China.</p></main></body></html>';
    my $meta = sprintf $base, '<meta name="geotag" content="off">';
    my ($out, $err) = geotag($meta, '--status');
    is($out, $meta, '<meta name="geotag" content="off"> leaves the page untouched');
    like($err, qr/opted-out/, 'and says so');
    my $plain = sprintf $base, '';
    my ($once) = geotag($plain);
    isnt($once, $plain, 'a plain page is tagged');
    my ($twice, $err2) = geotag($once, '--status');
    is($twice, $once, 'a tagged page passes a second time untouched');
    like($err2, qr/already-tagged/, 'and says so');
    my $latin = "<html><head><meta charset=\"windows-1250\"></head><body><main><p>Russia \xe8</p></main></body></html>";
    my ($o3, $e3) = geotag($latin, '--status');
    is($o3, $latin, 'an unsupported charset passes untouched');
    like($e3, qr/charset/, 'and says why');
    my $w1252 = "<html lang=\"it\"><head><meta charset=\"iso-8859-1\"></head><body><main><p>La Citt\xe0 del Vaticano e la Russia, l\x92Ucraina.</p></main></body></html>";
    my ($o4) = geotag($w1252);
    like($o4, qr{<span data-geotag="Country Q212">Ucraina</span>}, 'windows-1252 page: l\x92Ucraina is matched');
    is(unwrap($o4), $w1252, 'windows-1252 page: bytes preserved');
}

{   # class geotag-off: a whole word of the class list, in any case, with
    # any HTML white space around it; a longer word is not it
    my $page = "<html lang=\"it\"><body><article>\n"
        . "<p class=\"intro GEOTAG-Off note\">La Russia A.</p>\n"
        . "<p class=\"\tgeotag-off\n\">La Russia B.</p>\n"
        . "<p class=\"geotag-off\">La Russia C.</p>\n"
        . "<p class=\"geotag-offset\">La Russia D.</p>\n"
        . "<p class=\"xgeotag-off\">La Russia E.</p>\n"
        . "<p class=\"geotag-of\">La Russia F.</p>\n"
        . "</article></body></html>\n";
    my ($out, $err, $rc) = geotag($page);
    is($rc, 0, 'class opt-out: runs') or diag $err;
    for my $p (qw(A B C)) {
        like($out, qr{>La Russia $p\.</p>}, "class opt-out: paragraph $p left untagged");
    }
    for my $p (qw(D E F)) {
        like($out, qr{<span data-geotag="Country Q159">Russia</span> $p\.},
             "class opt-out: paragraph $p (another word) tagged");
    }
}

done_testing();
