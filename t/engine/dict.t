# make check-dict (tools/check-dict.py): the shipped dictionary passes, and
# each check fails on a small dictionary broken in its way.
use strict;
use warnings;
use utf8;
use lib 't/engine';
use Test::More;
use File::Temp qw(tempdir);
use File::Copy qw(copy);
use GeotagTest;

my $dir = tempdir(CLEANUP => 1);
my $n = 0;

# check-dict.py on a dictionary: (exit code, output)
sub check {
    my ($xml, @opts) = @_;
    my $file = "$dir/dict" . ++$n . '.xml';
    open my $fh, '>:encoding(UTF-8)', $file or die;
    print $fh $xml;
    close $fh;
    return check_file($file, @opts);
}

sub check_file {
    my ($file, @opts) = @_;
    my $out = qx{python3 tools/check-dict.py @opts '$file' 2>&1};
    return ($? >> 8, $out);
}

sub dict {
    return qq{<?xml version="1.0" encoding="UTF-8"?>\n<gazetteer xmlns="urn:mod-geotag:gazetteer:1">\n}
         . join('', @_) . "</gazetteer>\n";
}

my $sovereign = <<'X';
<entity id="Q16" type="Country" status="sovereign" iso="CA" source="ne50_countries.tsv">
  <name lang="it">Canada</name>
  <name lang="en">Canada</name>
  <demonym lang="it">canadese/i</demonym>
  <demonym lang="en" case="capitalized">Canadian/s</demonym>
  <capital>Ottawa</capital>
</entity>
X

my ($rc, $out) = check_file('conf/gazetteer.xml', '--geotag', $GeotagTest::BIN, '--data', 'data/gazetteer');
is($rc, 0, 'the shipped dictionary passes every check') or diag $out;

($rc, $out) = check(dict($sovereign), '--geotag', $GeotagTest::BIN);
is($rc, 0, 'a small correct dictionary passes') or diag $out;

# [schema]: geotag --check
($rc, $out) = check(dict(q{<entity id="Q16" type="Country" source="x" colour="red"><name lang="en">Canada</name></entity>}),
                    '--geotag', $GeotagTest::BIN);
is($rc, 1, 'schema: an attribute the schema does not know fails');
like($out, qr/\[schema\]/, 'schema: reported as such');

# [id]
($rc, $out) = check(dict(q{<entity id="Q16" type="Place" source="x"><name lang="en">Zorkland</name></entity>},
                         q{<entity id="Q16" type="Place" source="x"><name lang="en">Zarnland</name></entity>}));
is($rc, 1, 'id: one id twice fails');
like($out, qr/\[id\] Q16 twice/, 'id: reported as such');
($rc, $out) = check(dict(q{<entity id="Q016" type="Place" source="x"><name lang="en">Zorkland</name></entity>}));
like($out, qr/\[id\] 'Q016' is neither a well-formed/, 'id: a malformed id fails');

# [source]
($rc, $out) = check(dict(q{<entity id="Q16" type="Place"><name lang="en">Zorkland</name></entity>}));
is($rc, 1, 'source: a verified id without source fails');
like($out, qr/\[source\] Q16/, 'source: reported as such');
($rc, $out) = check(dict(q{<entity id="Q16" type="Place" verified="no"><name lang="en">Zorkland</name></entity>}));
is($rc, 0, 'source: an unverified id needs none') or diag $out;

# [shared]
($rc, $out) = check(dict(q{<entity id="Q230" type="Country" source="x"><name lang="en">Georgia</name></entity>},
                         q{<entity id="Q1428" type="State" source="x"><name lang="it">Georgia</name></entity>}));
is($rc, 1, 'shared: a form of two entities (any languages) fails');
like($out, qr/\[shared\] "Georgia" is a form of (Q1428 and Q230|Q230 and Q1428)/, 'shared: reported as such');
($rc, $out) = check(dict(q{<entity id="Q1" type="Country" source="x"><name lang="it">Zorkland</name><demonym lang="it">congolese/i</demonym></entity>},
                         q{<entity id="Q2" type="Country" source="x"><name lang="it">Zarnland</name><alias lang="it">Congolesi</alias></entity>}));
like($out, qr/\[shared\] "congolesi"/i, 'shared: an inflected demonym counts, case and accents folded');
($rc, $out) = check(dict(q{<entity id="Q230" type="Country" source="x"><name lang="en" ambiguous="yes">Georgia</name></entity>},
                         q{<entity id="Q1428" type="State" source="x"><name lang="en">Georgia</name></entity>}));
is($rc, 1, 'shared: declared on one entity only fails');
($rc, $out) = check(dict(q{<entity id="Q230" type="Country" source="x"><name lang="en" ambiguous="yes">Georgia</name></entity>},
                         q{<entity id="Q1428" type="State" source="x"><name lang="en" ambiguous="yes">Georgia</name></entity>},
                         q{<entity id="Q1" type="Person" source="x"><name lang="en">Kim Jong-un</name><alias short="yes">Kim</alias></entity>},
                         q{<entity id="Q2" type="Person" source="x"><name lang="en">Kim Yo-jong</name><alias short="yes">Kim</alias></entity>}));
is($rc, 0, 'shared: declared on both (ambiguous or short) passes') or diag $out;

# [case]: ordinary words of Debian's word lists
($rc, $out) = check(dict(q{<entity id="Q657" type="Country" source="x"><name lang="en">Chad</name></entity>}));
is($rc, 1, 'case: an English name that is an English word, without a case rule, fails');
like($out, qr/\[case\] Q657: <name> "Chad" is the en word "chad"/, 'case: reported as such');
($rc, $out) = check(dict(q{<entity id="Q7184" type="Organization" source="x"><name lang="it">NATO</name></entity>}));
like($out, qr/\[case\] Q7184: <name> "NATO" is the it word "nato"/, 'case: an Italian word ("nato", born) fails');
($rc, $out) = check(dict(q{<entity id="Q30" type="Country" source="x"><name lang="it">Stati Uniti</name><alias>Usa</alias></entity>}));
like($out, qr/\[case\] Q30: <alias> "Usa" is the it word "usa"/, 'case: a form without lang is checked against both lists');
($rc, $out) = check(dict(q{<entity id="Q657" type="Country" source="x"><name lang="en" case="capitalized">Chad</name></entity>}));
is($rc, 1, 'case: case="capitalized" alone is not enough (a sentence starts with a capital)');
($rc, $out) = check(dict(q{<entity id="Q657" type="Country" source="x"><name lang="en" case="exact">Chad</name><capital lang="it" case="exact">Mosca</capital></entity>},
                         q{<entity id="Q7184" type="Organization" source="x"><name lang="en" case="exact">NATO</name><alias case="capitalized" word="yes">Nato</alias></entity>},
                         q{<entity id="Q472" type="City" source="x"><name lang="en" context="place">Sofia</name></entity>}));
is($rc, 0, 'case: with case="exact", word="yes" or context="place" it passes') or diag $out;

# [shared]: a capital and the city of that name are read by context
($rc, $out) = check(dict(q{<entity id="Q159" type="Country" source="x"><name lang="it">Russia</name><capital lang="it" case="exact">Mosca</capital></entity>},
                         q{<entity id="Q649" type="City" source="x"><name lang="it" case="exact">Mosca</name></entity>}));
is($rc, 0, 'shared: a capital and the name of its city need no declaration') or diag $out;
($rc, $out) = check(dict(q{<entity id="Q159" type="Country" source="x"><name lang="it">Russia</name><capital lang="it" case="exact">Mosca</capital></entity>},
                         q{<entity id="Q1" type="Person" source="x"><name lang="it" case="exact">Mosca</name></entity>}));
like($out, qr/\[shared\] "Mosca"/, 'shared: a capital that is the name of a person is shared');

# [stop]: a stop form that is an entity's form hides it
($rc, $out) = check(dict(q{<stop lang="en">Washington Post</stop>},
                         q{<entity id="Q30" type="Country" source="x"><name lang="en">United States</name><capital lang="en">Washington</capital></entity>}));
is($rc, 0, 'stop: a longer name holding a form passes') or diag $out;
($rc, $out) = check(dict(q{<stop lang="en">Washington</stop>},
                         q{<entity id="Q30" type="Country" source="x"><name lang="en">United States</name><capital lang="en">Washington</capital></entity>}));
like($out, qr/\[stop\] <stop> "Washington" is a form of Q30/, 'stop: a stop form that is a form of an entity fails');
($rc, $out) = check(dict(q{<entity id="Q38" type="Country" source="x"><name lang="it">Italia</name><demonym lang="it">italiano/a/i/e</demonym></entity>}));
is($rc, 0, 'case: demonyms are words by nature and not checked') or diag $out;

# [notation]
($rc, $out) = check(dict(q{<entity id="Q35" type="Country" source="x"><name lang="en">Denmark</name><demonym lang="en" case="capitalized">Dane/s</demonym></entity>}));
is($rc, 1, 'notation: "Dane/s" (which makes "Dans") fails');
like($out, qr/\[notation\] Q35: <demonym> "Dane\/s" expands to Dans/, 'notation: reported as such');
($rc, $out) = check(dict(q{<entity id="Q35" type="Country" source="x"><name lang="en">Denmark</name><demonym lang="en" case="capitalized">Dane/es</demonym><demonym lang="it">danese/i</demonym></entity>}));
is($rc, 0, 'notation: "Dane/es" and "danese/i" pass') or diag $out;

# [sovereign]
(my $nocap = $sovereign) =~ s{\s*<capital>Ottawa</capital>}{};
($rc, $out) = check(dict($nocap));
is($rc, 1, 'sovereign: a sovereign state without a capital fails');
like($out, qr/\[sovereign\] Q16: a sovereign state without capital/, 'sovereign: reported as such');
(my $nodem = $sovereign) =~ s{\s*<demonym lang="en"[^\n]*}{};
($rc, $out) = check(dict($nodem));
like($out, qr/without demonym-en/, 'sovereign: without an English demonym fails');
(my $noname = $sovereign) =~ s{\s*<name lang="it">Canada</name>}{};
($rc, $out) = check(dict($noname));
like($out, qr/without name-it/, 'sovereign: without an Italian name fails');
(my $cc = $nocap) =~ s{</entity>}{  <capital-city>Ottawa</capital-city>\n</entity>};
($rc, $out) = check(dict($cc));
is($rc, 0, 'sovereign: a <capital-city> counts as the capital') or diag $out;

# [stale]: the sources changed, the generated file did not
my $data = "$dir/data";
mkdir $data or die;
opendir my $dh, 'data/gazetteer' or die;
for my $f (grep { !/^\./ } readdir $dh) { copy("data/gazetteer/$f", "$data/$f") or die "$f: $!" }
closedir $dh;
($rc, $out) = check_file('conf/gazetteer.xml', '--data', $data);
is($rc, 0, 'stale: a copy of the sources generates the shipped file') or diag $out;
{
    # the curated file that holds Putin, whichever it is
    my ($file) = grep {
        open my $f, '<:encoding(UTF-8)', $_ or die; local $/; my $t = <$f>; $t =~ m{<alias>Putin</alias>}
    } glob "$data/*.xml";
    ok($file, 'stale: a curated file has Putin') or BAIL_OUT('no Putin in the sources');
    open my $in, '<:encoding(UTF-8)', $file or die;
    local $/;
    my $s = <$in>;
    close $in;
    ok($s =~ s{<alias>Putin</alias>}{<alias>Putin</alias>\n    <alias>V. Putin</alias>}, 'stale: a source is edited');
    open my $o, '>:encoding(UTF-8)', $file or die;
    print $o $s;
    close $o;
}
($rc, $out) = check_file('conf/gazetteer.xml', '--data', $data);
is($rc, 1, 'stale: a dictionary not regenerated after a source changed fails');
like($out, qr/\[stale\].*make gazetteer/, 'stale: reported as such, with the remedy');

done_testing();
