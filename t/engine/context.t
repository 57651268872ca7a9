# The context rules of a form (docs/gazetteer.md, "Capitals", "Ordinary
# words", "Stop forms"), on a small dictionary in Italian and English:
#   - a capital that is also a city is the city after a place preposition of
#     the page's language pack, else the state;
#   - context="place": only after a place preposition;
#   - word="yes": not at the start of a sentence nor in a line of capitals;
#   - a <stop> form is never tagged, nor anything inside it;
#   - a place's name after a capitalized word in mid-sentence ends another
#     name, but after a <place-modifier> of the pack; a state's code before
#     a currency sign is no state.
# Each rule is also checked removed (the same page with the attribute or the
# word gone), so that a test fails if the rule stops working.
use strict;
use warnings;
use lib 't/engine';
use Test::More;
use File::Temp qw(tempdir);
use GeotagTest;

my $dir = tempdir(CLEANUP => 1);

sub write_dict {
    my ($name, $body) = @_;
    my $path = "$dir/$name";
    open my $fh, '>:encoding(UTF-8)', $path or die "$path: $!";
    print $fh qq{<?xml version="1.0" encoding="UTF-8"?>\n}
            . qq{<gazetteer xmlns="urn:mod-geotag:gazetteer:1">\n$body\n</gazetteer>\n};
    close $fh;
    return $path;
}

my $entities = <<'XML';
  <entity id="Q159" type="Country" source="t">
    <name lang="it">Russia</name><name lang="en">Russia</name>
    <capital lang="it" case="exact">Mosca</capital><capital lang="en">Moscow</capital>
  </entity>
  <entity id="Q649" type="City" source="t">
    <name lang="it" case="exact">Mosca</name><name lang="en">Moscow</name>
  </entity>
  <entity id="Q423" type="Country" source="t">
    <name lang="it">Corea del Nord</name><name lang="en">North Korea</name>
    <capital>Pyongyang</capital>
  </entity>
  <entity id="Q18808" type="City" source="t">
    <name lang="it">Pyongyang</name><name lang="en">Pyongyang</name>
  </entity>
  <entity id="Q1055" type="Country" source="t">
    <name lang="it">Paesi Bassi</name><name lang="en">Netherlands</name>
  </entity>
  <entity id="Q36600" type="City" source="t">
    <name lang="it">L'Aia</name><name lang="en">The Hague</name>
    <alias lang="it" context="place">Aia</alias>
  </entity>
  <entity id="Q472" type="City" source="t">
    <name lang="it" context="place">Sofia</name><name lang="en" context="place">Sofia</name>
  </entity>
  <entity id="Q7184" type="Organization" source="t">
    <name lang="it" case="exact">NATO</name><name lang="en" case="exact">NATO</name>
    <alias case="capitalized" word="yes">Nato</alias>
  </entity>
  <entity id="Q30" type="Country" source="t">
    <name lang="it">Stati Uniti</name><name lang="en">United States</name>
    <alias lang="it" case="capitalized" word="yes">Usa</alias>
    <alias case="exact">US</alias>
    <capital lang="en">Washington</capital>
  </entity>
  <entity id="Q38" type="Country" source="t">
    <name lang="it">Italia</name><name lang="en">Italy</name>
    <demonym lang="en">Italian/s</demonym>
  </entity>
  <entity id="Q148" type="Country" source="t">
    <name lang="it">Cina</name><name lang="en">China</name>
    <demonym lang="en">Chinese</demonym>
  </entity>
  <entity id="Q142" type="Country" source="t">
    <name lang="it">Francia</name><name lang="en">France</name>
    <capital>Parigi</capital><capital lang="en">Paris</capital>
  </entity>
  <entity id="Q145" type="Country" source="t">
    <name lang="en">United Kingdom</name><alias lang="en">Britain</alias>
    <alias case="exact">UK</alias>
  </entity>
  <entity id="Q34" type="Country" source="t">
    <name lang="it">Svezia</name><name lang="en">Sweden</name><name lang="de">Schweden</name>
    <demonym lang="en">Swedish</demonym>
  </entity>
XML
my $stops = <<'XML';
  <stop lang="en">Washington Post</stop>
  <stop lang="en">Chinese New Year</stop>
  <stop lang="it">Coppa Italia</stop>
XML
my $dict = write_dict('dict.xml', $stops . $entities);

# The mentions of a paragraph, as "surface=id" in text order.
sub tags {
    my ($lang, $text, $d) = @_;
    my $page = qq{<html lang="$lang"><body><article>$text</article></body></html>};
    my ($out, $err, $rc) = geotag($page, '--dict', $d // $dict, '--mentions',
                                  '--types', 'actors');
    die "geotag failed: $err" if $rc != 0;
    my @t;
    for my $line (split /\n/, $out) {
        my ($off, $len, $kind, $id, $surface) = split /\t/, $line;
        push @t, "$surface=$id";
    }
    return join(' ', @t);
}

# ---- a capital: the city after a place preposition, else the state
my @cases = (
    ['it', '<p>Mosca ha risposto.</p>',                 'Mosca=Q159',    'it: "Mosca ha risposto" is the state'],
    ['it', '<p>Il vertice si terrà a Mosca.</p>',       'Mosca=Q649',    'it: "a Mosca" is the city'],
    ['it', '<p>Rientrato da Mosca, ha parlato.</p>',    'Mosca=Q649',    'it: "da Mosca" is the city'],
    ['it', '<p>Pyongyang ha inviato truppe.</p>',       'Pyongyang=Q423', 'it: "Pyongyang ha inviato" is the state'],
    ['it', '<p>Le truppe sono tornate a Pyongyang.</p>', 'Pyongyang=Q18808', 'it: "a Pyongyang" is the city'],
    ['it', '<p>Il tribunale siede all\'Aia.</p>',       'Aia=Q36600',    'it: "all\'Aia" (elided preposition) is the city'],
    ['it', '<p>Un volo verso <b>Mosca</b>.</p>',        'Mosca=Q649',    'it: the preposition before an inline element counts'],
    ['it', '<p>Arrivati a</p><p>Mosca ha detto no.</p>', 'Mosca=Q159',   'it: a preposition in another block does not'],
    ['en', '<p>Moscow said it would respond.</p>',      'Moscow=Q159',   'en: "Moscow said" is the state'],
    ['en', '<p>The talks in Moscow ended.</p>',         'Moscow=Q649',   'en: "in Moscow" is the city'],
    ['en', '<p>He flew to Pyongyang on Monday.</p>',    'Pyongyang=Q18808', 'en: "to Pyongyang" is the city'],
    ['en', '<p>Pyongyang fired a missile.</p>',         'Pyongyang=Q423', 'en: "Pyongyang fired" is the state'],
    ['en', '<p>Back from Moscow, he spoke.</p>',        'Moscow=Q649',   'en: "from Moscow" is the city'],
    # an Italian preposition is not one in an English page
    ['en', '<p>Moscow, a Moscow source said.</p>',      'Moscow=Q159 Moscow=Q159', 'en: the Italian "a" is no place preposition in English'],
);
for my $c (@cases) {
    is(tags($c->[0], $c->[1]), $c->[2], $c->[3]);
}

# ---- the same readings with the default dictionary (ids read from it)
{
    my $default = 'conf/gazetteer.xml';
    my %id = map { $_ => scalar gazetteer_id($_) } ('Russia', 'Moscow', 'North Korea', 'Pyongyang',
                                             'Ukraine', 'Kyiv', 'Japan', 'Tokyo');
    ok(defined $id{$_}, "the default dictionary has $_") for sort keys %id;
    my @default_cases = (
        ['it', '<p>Mosca ha risposto.</p>',               "Mosca=$id{Russia}"],
        ['it', '<p>Il vertice si terrà a Mosca.</p>',     "Mosca=$id{Moscow}"],
        ['it', '<p>Pyongyang ha inviato truppe.</p>',     "Pyongyang=$id{'North Korea'}"],
        ['it', '<p>Sono tornati a Pyongyang.</p>',        "Pyongyang=$id{Pyongyang}"],
        ['it', '<p>Rientrato da Kiev, ha parlato.</p>',   "Kiev=$id{Kyiv}"],
        ['en', '<p>Kyiv said it would respond.</p>',      "Kyiv=$id{Ukraine}"],
        ['en', '<p>The talks in Kyiv ended.</p>',         "Kyiv=$id{Kyiv}"],
        ['en', '<p>Tokyo protested.</p>',                 "Tokyo=$id{Japan}"],
        ['en', '<p>He flew to Tokyo.</p>',                "Tokyo=$id{Tokyo}"],
    );
    for my $c (@default_cases) {
        is(tags($c->[0], $c->[1], $default), $c->[2], "default dictionary, $c->[0]: $c->[1]");
    }
}

# ---- context="place"
is(tags('it', '<p>Sofia ha detto che a Sofia piove.</p>'), 'Sofia=Q472',
   'context="place": "Sofia ha detto" is not tagged, "a Sofia" is');
is(tags('en', '<p>Sofia said it rained in Sofia.</p>'), 'Sofia=Q472',
   'context="place": the same in English');
is(tags('it', '<p>L\'Aia ha deciso; la corte dell\'Aia.</p>'), "L'Aia=Q36600",
   'context="place": the full name always matches, the bare "Aia" only after a place preposition');

# ---- word="yes": no evidence at a sentence start or in a line of capitals
is(tags('it', '<p>Nato nel 1950, lavora per la Nato.</p>'), 'Nato=Q7184',
   'word="yes": "Nato nel 1950" (born) at a sentence start is not tagged; "la Nato" is');
is(tags('it', '<p>Lo disse. Nato a Roma, entrò nella Nato.</p>'), 'Nato=Q7184',
   'word="yes": after a full stop a sentence starts');
is(tags('it', '<p>«Nato a Roma», disse.</p>'), '',
   'word="yes": an opening quote does not hide the sentence start');
is(tags('it', '<p>Lo ha detto <em>Nato</em> ieri.</p>'), 'Nato=Q7184',
   'word="yes": inside a sentence, across an inline element, it is tagged');
is(tags('it', '<p>Usa il telefono. Gli Usa e la NATO.</p>'), 'Usa=Q30 NATO=Q7184',
   'word="yes": "Usa il telefono" (uses) is not the United States');
is(tags('it', '<h2>GLI USA DICONO</h2>'), '',
   'word="yes": a line of capitals is no evidence');
is(tags('it', '<h2>LA NATO</h2>'), 'NATO=Q7184',
   'an exact form ("NATO") still matches in capitals');

# ---- stop forms
is(tags('en', '<p>The Washington Post said Washington agreed.</p>'), 'Washington=Q30',
   'stop: "Washington Post" is not tagged, nor the Washington inside it');
is(tags('en', '<p>Chinese New Year in China.</p>'), 'China=Q148',
   'stop: "Chinese New Year" hides the demonym');
is(tags('it', '<p>La Coppa Italia non è l\'Italia.</p>'), 'Italia=Q38',
   'stop: "Coppa Italia" hides Italia');

# ---- a place's name that ends another name
is(tags('en', '<p>He met Valeska Paris on Monday, then Hitwise UK data.</p>'), '',
   'a capital or a code after a capitalized word in mid-sentence ends another name');
is(tags('it', '<p>Lo ha detto il Senato Usa.</p>'), 'Usa=Q30',
   'it: the Italian pack lists no place modifiers, so no such rule ("il Senato Usa")');
is(tags('en', '<p>Prices in Southern Italy rose; in post-Brexit Britain too.</p>'),
   'Italy=Q38 Britain=Q145',
   'a place modifier ("Southern") and a compound ("post-Brexit") keep the place');
is(tags('en', '<p>Yesterday France said no. The brochure says \'If Sweden is attacked\'.</p>'),
   'France=Q142 Sweden=Q34',
   'a capitalized word at a sentence start or a quotation\'s start is no name');
is(tags('en', '<p>The talks between UK China officials.</p>'), 'UK=Q145 China=Q148',
   'an acronym in capitals before a place is no name');
is(tags('en', '<p>On Monday France Voted.</p>'), 'France=Q142',
   'a day of the week before a place is no name');
is(tags('en', '<h2>Leaders Meet Paris Envoys</h2>'), 'Paris=Q142',
   'a Title Case line: a capital is no sign of a name');
is(tags('en', '<p>The Swedish Prime Minister.</p>'), 'Swedish=Q34',
   'a demonym after a capitalized word is left alone');
is(tags('de', '<p>Die Bedeutung des Handelspartners Schweden wuchs.</p>'), 'Schweden=Q34',
   'a page whose language has no pack (German capitalizes nouns): no such rule');
is(tags('en', '<p>Bail was US$ 20,000 for the US citizen.</p>'), 'US=Q30',
   'a state\'s code before a currency sign is no state');
{
    my ($packs, $removed) = packs_without("$dir/packs-modifiers", 'place-modifier');
    ok($removed->{en} > 0, 'en: the pack has place modifiers to remove');
    my $page = '<html lang="en"><body><article><p>He met Valeska Paris.</p></article></body></html>';
    my ($out, $err, $rc) = geotag($page, '--dict', $dict, '--lang-packs', $packs,
                                  '--mentions', '--types', 'actors');
    like($out, qr/\tQ142\tParis$/m,
         'a pack without place modifiers has no such rule: "Valeska Paris" is France')
        or diag $err;
}

# ---- each rule removed: the same pages tag the other reading
my $bare = $entities;
$bare =~ s/ context="place"//g;
$bare =~ s/ word="yes"//g;
my $bare_dict = write_dict('bare.xml', $bare);
is(tags('it', '<p>Sofia ha detto.</p>', $bare_dict), 'Sofia=Q472',
   'without context="place", "Sofia ha detto" is tagged: the rule is what stops it');
is(tags('it', '<p>Nato nel 1950.</p>', $bare_dict), 'Nato=Q7184',
   'without word="yes", "Nato nel 1950" is tagged: the rule is what stops it');
is(tags('en', '<p>The Washington Post.</p>', $bare_dict), 'Washington=Q30',
   'without the stop form, the Washington inside is tagged');
{
    # without the place prepositions (a pack of our own), "a Mosca" is the state
    my ($packs, $removed) = packs_without("$dir/packs", 'place-preposition');
    ok($removed->{$_} > 0, "$_: the pack has place prepositions to remove") for qw(it en);
    my $page = '<html lang="it"><body><article><p>Il vertice a Mosca.</p></article></body></html>';
    my ($out, $err, $rc) = geotag($page, '--dict', $dict, '--lang-packs', $packs,
                                  '--mentions', '--types', 'actors');
    like($out, qr/\tQ159\tMosca$/m, 'without place prepositions, "a Mosca" is the state')
        or diag $err;
}

done_testing();
