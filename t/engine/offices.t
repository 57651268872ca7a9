# Role phrases ("il presidente russo", "the US president") resolved to the
# person who held the office on the article's date (docs/gazetteer.md,
# "Offices"), on a small dictionary: both sides of a change of holder, the
# date from the page (meta, JSON-LD, <time>) or --date, and every "no tag"
# case.  The default dictionary's offices are tested in offices-default.t.
use strict;
use warnings;
use lib 't/engine';
use Test::More;
use File::Temp qw(tempdir);
use GeotagTest;

my $dir = tempdir(CLEANUP => 1);
my $dict = "$dir/dict.xml";
open my $fh, '>:encoding(UTF-8)', $dict or die "$dict: $!";
print $fh <<'XML';
<?xml version="1.0" encoding="UTF-8"?>
<gazetteer xmlns="urn:mod-geotag:gazetteer:1">
  <entity id="Q159" type="Country" source="t"><name lang="it">Russia</name><name lang="en">Russia</name>
    <demonym lang="it">russo/a/i/e</demonym><demonym lang="en">Russian/s</demonym></entity>
  <entity id="Q30" type="Country" source="t"><name lang="it">Stati Uniti</name><name lang="en">United States</name>
    <alias case="exact">US</alias><demonym lang="en">American/s</demonym></entity>
  <entity id="Q38" type="Country" source="t"><name lang="it">Italia</name><name lang="en">Italy</name>
    <demonym lang="it">italiano/a/i/e</demonym><demonym lang="en">Italian/s</demonym></entity>
  <entity id="Q423" type="Country" source="t"><name lang="it">Corea del Nord</name><name lang="en">North Korea</name>
    <demonym lang="it">nordcoreano/a/i/e</demonym></entity>
  <entity id="Q7184" type="Organization" source="t"><name lang="it" case="exact">NATO</name><name lang="en" case="exact">NATO</name>
    <alias case="capitalized" word="yes">Nato</alias></entity>
  <entity id="Q7747" type="Person" source="t"><name lang="it">Vladimir Putin</name><name lang="en">Vladimir Putin</name><alias>Putin</alias></entity>
  <entity id="Q23530" type="Person" source="t"><name lang="it">Dmitrij Medvedev</name><name lang="en">Dmitry Medvedev</name><alias>Medvedev</alias></entity>
  <entity id="Q6279" type="Person" source="t"><name lang="en">Joe Biden</name><alias>Biden</alias></entity>
  <entity id="Q22686" type="Person" source="t"><name lang="en">Donald Trump</name><alias case="exact">Trump</alias></entity>
  <entity id="Q3915069" type="Person" source="t"><name lang="it">Giorgia Meloni</name><alias>Meloni</alias></entity>
  <entity id="Q47576" type="Person" source="t"><name lang="it">Mario Draghi</name><alias>Draghi</alias></entity>
  <entity id="Q56226" type="Person" source="t"><name lang="it">Kim Jong-un</name><alias short="yes">Kim</alias></entity>
  <entity id="Q6379" type="Person" source="t"><name lang="it">Kim Yo-jong</name><alias short="yes">Kim</alias></entity>
  <entity id="Q57792" type="Person" source="t"><name lang="en">Jens Stoltenberg</name><alias>Stoltenberg</alias></entity>
  <entity id="Q57793" type="Person" source="t"><name lang="en">Mark Rutte</name><alias>Rutte</alias></entity>
  <office id="Q218295" of="Q159" source="t"><name lang="en">President of Russia</name>
    <role>president</role><role>leader</role>
    <holder ref="Q23530" from="2008-05-07" to="2012-05-07"/><holder ref="Q7747" from="2012-05-07"/></office>
  <office id="Q1234567" of="Q159" source="t"><name lang="en">Prime Minister of Russia</name>
    <role>prime-minister</role><role>leader</role>
    <holder ref="Q23530" from="2012-05-08" to="2020-01-16"/></office>
  <office id="Q11696" of="Q30" source="t"><name lang="en">President of the United States</name>
    <role>president</role>
    <holder ref="Q6279" from="2021-01-20" to="2025-01-20"/><holder ref="Q22686" from="2025-01-20"/></office>
  <office id="Q796897" of="Q38" source="t"><name lang="it">Presidente del Consiglio dei ministri</name>
    <alias lang="it">presidente del Consiglio</alias><role>prime-minister</role>
    <holder ref="Q47576" from="2021-02-13" to="2022-10-22"/><holder ref="Q3915069" from="2022-10-22"/></office>
  <office id="Q4897" of="Q423" source="t"><name lang="en">Supreme Leader of North Korea</name>
    <role>leader</role><holder ref="Q56226" from="2011-12"/></office>
  <office id="Q311441" of="Q7184" source="t"><name lang="en">Secretary General of NATO</name>
    <role>secretary-general</role>
    <holder ref="Q57792" from="2014-10-01" to="2024-10-01"/><holder ref="Q57793" from="2024-10-01"/></office>
</gazetteer>
XML
close $fh;

# "surface=id" of each mention of a page body, in order.
sub tags {
    my ($lang, $body, @args) = @_;
    my $head = '';
    $head = shift @args if @args && $args[0] =~ /^</;
    my $page = qq{<html lang="$lang"><head>$head</head><body><article>$body</article></body></html>};
    my ($out, $err, $rc) = geotag($page, '--dict', $dict, '--mentions', '--types', 'actors', @args);
    die "geotag failed: $err" if $rc != 0;
    return join ' ', map { my @f = split /\t/; "$f[4]=$f[3]" } split /\n/, $out;
}

# ---- both sides of a change of holder, it and en
my @phrases = (
    # lang, text, date before, person before, date after, person after
    ['it', 'il presidente russo',              '2010-06-01', 'Q23530', '2015-06-01', 'Q7747'],
    ['it', 'il presidente della Russia',       '2010-06-01', 'Q23530', '2015-06-01', 'Q7747'],
    ['it', 'il presidente degli Stati Uniti',  '2024-10-05', 'Q6279',  '2025-03-01', 'Q22686'],
    ['it', 'la premier italiana',              '2022-01-10', 'Q47576', '2023-01-10', 'Q3915069'],
    ['it', 'il presidente del Consiglio',      '2022-01-10', 'Q47576', '2023-01-10', 'Q3915069'],
    ['it', 'il segretario generale della Nato', '2024-09-01', 'Q57792', '2024-11-01', 'Q57793'],
    ['it', "il segretario generale dell'Alleanza", undef, undef, undef, undef],
    ['en', 'the US president',                 '2024-10-05', 'Q6279',  '2025-03-01', 'Q22686'],
    ['en', 'the American president',           '2024-10-05', 'Q6279',  '2025-03-01', 'Q22686'],
    ['en', "Russia's president",               '2010-06-01', 'Q23530', '2015-06-01', 'Q7747'],
    ['en', 'the president of the United States', '2024-10-05', 'Q6279', '2025-03-01', 'Q22686'],
    ['en', 'the NATO secretary general',       '2024-09-01', 'Q57792', '2024-11-01', 'Q57793'],
    ['en', 'the Secretary-General of NATO',    '2024-09-01', 'Q57792', '2024-11-01', 'Q57793'],
    ['en', 'the Russian prime minister',       '2015-06-01', 'Q23530', '2021-06-01', undef],
);
for my $p (@phrases) {
    my ($lang, $text, $d1, $p1, $d2, $p2) = @$p;
    next unless defined $d1;
    my $want = sub { my ($id) = @_; return $id ? qr/=\Q$id\E$/ : qr/^(?!.*=Q(23530|7747|6279|22686|47576|3915069|57792|57793)$)/ };
    my $t1 = tags($lang, "<p>Ieri $text ha parlato.</p>", '--date', $d1);
    like($t1, $want->($p1), "$lang: \"$text\" on $d1 is " . ($p1 // 'nobody')) or diag $t1;
    my $t2 = tags($lang, "<p>Ieri $text ha parlato.</p>", '--date', $d2);
    like($t2, $want->($p2), "$lang: \"$text\" on $d2 is " . ($p2 // 'nobody (no holder known)')) or diag $t2;
}

# the phrase is one mention over its words, and its state is not tagged apart
is(tags('it', '<p>Il presidente russo ha parlato.</p>', '--date', '2015-06-01'),
   'presidente russo=Q7747', 'it: the whole phrase is one mention of the person');
is(tags('en', '<p>The US president spoke.</p>', '--date', '2024-10-05'),
   'US president=Q6279', 'en: the state before the noun is part of the phrase');
is(tags('it', '<p>Il presidente russo Vladimir Putin ha parlato.</p>', '--date', '2015-06-01'),
   'presidente russo Vladimir Putin=Q7747', 'a name right after the phrase is the same mention');
is(tags('it', '<p>Il presidente russo Dmitrij Medvedev ha parlato.</p>', '--date', '2015-06-01'),
   'russo=Q159 Dmitrij Medvedev=Q23530', 'a different name right after it: the name, not the phrase');
is(tags('it', '<p>Il presidente russo, Dmitrij Medvedev, ha parlato.</p>', '--date', '2015-06-01'),
   'russo=Q159 Dmitrij Medvedev=Q23530', 'a different name after a comma: the name, not the phrase');
is(tags('it', '<p>Il presidente russo, Vladimir Putin, ha parlato.</p>', '--date', '2015-06-01'),
   'presidente russo, Vladimir Putin=Q7747', 'the holder named after a comma: one mention');
is(tags('it', '<p>Il presidente russo Boris Eltsin ha parlato.</p>', '--date', '2015-06-01'),
   'russo=Q159', 'a name the dictionary does not know right after it: not the holder');
is(tags('it', '<p>Il presidente Putin ha parlato.</p>', '--date', '2015-06-01'),
   'Putin=Q7747', 'a name right after a bare noun: the name');
is(tags('it', '<p>Il leader nordcoreano ha parlato. Poi Kim ha riso.</p>', '--date', '2020-01-01'),
   'leader nordcoreano=Q56226 Kim=Q56226', 'a short form after a resolved phrase counts as introduced');

# ---- the date from the page
my $meta = '<meta property="article:published_time" content="2025-01-19T23:30:00-05:00">';
is(tags('en', '<p>The US president spoke.</p>', $meta), 'US=Q30',
   'meta: 23:30 at UTC-5 on 19 January is 20 January in UTC, the day of the change: no tag');
$meta = '<meta property="article:published_time" content="2025-01-19T12:00:00-05:00">';
is(tags('en', '<p>The US president spoke.</p>', $meta), 'US president=Q6279',
   'meta: article:published_time gives the day');
my $ld = '<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle","datePublished":"2025-03-01"}</script>';
is(tags('en', '<p>The US president spoke.</p>', $ld), 'US president=Q22686',
   "JSON-LD: the article's datePublished gives the day");
is(tags('en', '<p>The US president spoke.</p>',
        '<meta property="article:published_time" content="2024-10-05">' . $ld),
   'US president=Q6279', 'the meta comes before the JSON-LD');
is(tags('en', '<p><time datetime="2024-10-05">5 Oct</time></p><p>The US president spoke.</p>'),
   'US president=Q6279', 'a <time datetime> in the article gives the day');
is(tags('en', '<p>The US president spoke.</p>', $ld, '--date', '2024-10-05'),
   'US president=Q6279', '--date overrides the page');

# ---- no tag
is(tags('en', '<p>The US president spoke.</p>'), 'US=Q30',
   'no date: nothing resolved (the state stays tagged)');
is(tags('en', '<p>The US president spoke.</p>', '--date', '2025-01-20'), 'US=Q30',
   'the day of a change of holder: no tag');
is(tags('it', '<p>Il leader nordcoreano ha parlato.</p>', '--date', '2011-12-20'), 'nordcoreano=Q423',
   'a change known to the month: no tag in that month');
is(tags('en', '<p>The US president spoke.</p>', '--date', '2019-06-01'), 'US=Q30',
   'no holder known that day: no tag');
is(tags('it', '<p>Il leader russo ha parlato.</p>', '--date', '2015-06-01'), 'russo=Q159',
   'two offices fit ("leader": president and prime minister): no tag');
is(tags('it', '<p>La premier ha parlato.</p>', '--date', '2023-01-10'), '',
   'no state named and none set: no tag');
is(tags('it', '<p>La premier ha parlato.</p>', '--date', '2023-01-10', '--country', 'Q38'),
   'premier=Q3915069', 'no state named, --country set: its office');
for my $q (["l'ex presidente russo", 'it'], ['il futuro presidente russo', 'it'],
           ['the former US president', 'en'], ['the late Russian president', 'en'],
           ['the next US president', 'en'], ["l'ex-presidente russo", 'it']) {
    my ($text, $lang) = @$q;
    unlike(tags($lang, "<p>Ieri $text ha parlato.</p>", '--date', '2015-06-01'), qr/=Q(7747|23530|6279)$/,
           "qualified: \"$text\" is not tagged as the holder");
}
is(tags('it', '<p>Il presidente del Consiglio di Sicurezza ha parlato.</p>', '--date', '2023-01-10'), '',
   "an office's own name that goes on with another name: no tag");

# --date and --country are checked
{
    my ($out, $err, $rc) = geotag('<p>x</p>', '--dict', $dict, '--date', '2024-02-30');
    is($rc, 2, '--date: a day the month does not have is refused');
    like($err, qr/bad --date/, '--date: said so');
    ($out, $err, $rc) = geotag('<p>x</p>', '--dict', $dict, '--country', 'Q999999');
    is($rc, 2, '--country: an id that is no entity is refused');
}

# ---- a phrase met before the page tells its date is held until it does
my $at_end = sub { my ($day) = @_; qq{<footer><time datetime="$day">that day</time></footer>} };
is(tags('en', '<p>The US president spoke.</p>' . $at_end->('2024-10-05')),
   'US president=Q6279', 'held: a <time> at the end of the article gives the day (before a change)');
is(tags('en', '<p>The US president spoke.</p>' . $at_end->('2025-03-01')),
   'US president=Q22686', 'held: a <time> at the end of the article gives the day (after it)');
is(tags('en', '<p>The US president spoke.</p>' . $ld),
   'US president=Q22686', "held: JSON-LD in the body after the phrase gives the day");
is(tags('en', '<p>Putin met the US president; the Russian president smiled.</p>' . $at_end->('2010-06-01')),
   'Putin=Q7747 US=Q30 Russian president=Q23530',
   'held: two phrases, one resolved and one with no holder that day (its state stays), an edit before them');
is(tags('en', '<p>The former US president spoke.</p>' . $at_end->('2024-10-05')),
   'US=Q30', 'held: a qualified phrase is still not the holder');
is(tags('en', '<p>The Russian president Vladimir Putin spoke.</p>' . $at_end->('2015-06-01')),
   'Russian=Q159 Vladimir Putin=Q7747',
   'held: a name right after the phrase is the one mention of the person (the phrase keeps its state)');
{
    my $pad = join '', map { '<p>' . ('word ' x 200) . "</p>\n" } 1 .. 20; # ~20 KB
    is(tags('en', '<p>The US president spoke.</p>' . $pad . $at_end->('2024-10-05')),
       'US president=Q6279', 'held: the day 20 KB later is within the hold budget');
    is(tags('en', '<p>The US president spoke.</p>' . $pad x 2 . $at_end->('2024-10-05')),
       'US=Q30', 'held: the day 40 KB later is past the budget: the phrase is not tagged, its state is');
    my $page = qq{<html lang="en"><head></head><body><article><p>The US president spoke.</p>$pad}
             . $at_end->('2025-03-01') . qq{</article></body></html>};
    my ($whole) = geotag($page, '--dict', $dict);
    like($whole, qr{<span data-geotag="Person Q22686">US president</span>}, 'held: the page carries the resolved phrase');
    like($whole, qr{"Q22686"|Q22686"}, 'held: the person is in the JSON-LD');
    for my $seed (1 .. 4) {
        my ($chunked) = geotag($page, '--dict', $dict, '--chunk', 64, '--chunk-seed', $seed);
        is($chunked, $whole, "held: the same page in random chunks (seed $seed)");
    }
    is(unwrap($whole), $page, 'held: unwrapping gives the page back');
}

# ---- the dictionary's checks on offices
for my $bad (
    ['<office id="Q1" of="Q30" source="t"><name lang="en">X</name><holder ref="Q30" from="2020-01-01"/></office>',
     qr/holder Q30 is a Country, not a Person/, 'a holder that is not a Person'],
    ['<office id="Q1" of="Q5" source="t"><name lang="en">X</name></office>',
     qr/of= Q5 is not an entity/, 'an office of no entity'],
    ['<office id="Q1" of="Q30" source="t"><name lang="en">X</name><holder ref="Q6279" from="2021-01-20" to="2020-01-20"/></office>',
     qr/ends \(2020-01-20\) before it starts/, 'a holder that ends before it starts'],
    ['<office id="Q1" of="Q30" source="t"><name lang="en">X</name><holder ref="Q6279" from="2021-02-30"/></office>',
     qr/invalid date/, 'a day the month does not have'],
) {
    my ($xml, $re, $what) = @$bad;
    my $f = "$dir/bad.xml";
    open my $o, '>', $f or die;
    print $o qq{<?xml version="1.0"?>\n<gazetteer xmlns="urn:mod-geotag:gazetteer:1">\n}
           . q{<entity id="Q30" type="Country" source="t"><name lang="en">United States</name></entity>}
           . q{<entity id="Q6279" type="Person" source="t"><name lang="en">Joe Biden</name></entity>}
           . "\n$xml\n</gazetteer>\n";
    close $o;
    my ($out, $err, $rc) = geotag('', '--check', $f);
    isnt($rc, 0, "check: $what fails");
    like($err . $out, qr/bad\.xml:\d+: .*$re|$re/, "check: $what, with file:line and the reason");
}

done_testing();
