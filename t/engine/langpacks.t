# The language packs through the geotag command: an entity-only dictionary
# still gets dates, figures, treaty words and units; --lang-packs picks the
# directory; a missing or broken pack fails a run and --check with
# file:line and the reason; a third language is a data file.
use strict;
use warnings;
use lib 't/engine';
use Test::More;
use File::Temp qw(tempdir);
use GeotagTest;

my $dict = 't/unit/data/entities-only.xml';

my $it = '<html lang="it"><body><article><p>Freedonia ha firmato il Patto '
       . 'di Duck nel giugno 2024. Il patto prevede 5.000 soldati.</p>'
       . '</article></body></html>';
my ($out, $err, $rc) = geotag($it, '--dict', $dict, '--no-jsonld');
is($rc, 0, 'an entity-only dictionary runs') or diag $err;
like($out, qr{<time data-geotag="date" datetime="2024-06">giugno 2024</time>},
     'giugno 2024 is a date');
like($out, qr{Il <span data-geotag="Legislation geotag-duck-pact">patto</span>},
     'a treaty word of the pack refers back to the treaty');
like($out, qr{<data data-geotag="figure" value="5000">5\.000</data>},
     'a figure');
($out) = geotag($it, '--dict', $dict, '--jsonld');
like($out, qr{"value":5000,"unitText":"soldati"}, 'with its unit in the JSON-LD');

my $en = '<html lang="en"><body><article><p>Freedonia signed the Duck Pact '
       . 'in June 2024. The pact sends 5,000 soldiers.</p></article></body>'
       . '</html>';
($out, $err, $rc) = geotag($en, '--dict', $dict);
like($out, qr{<time data-geotag="date" datetime="2024-06">June 2024</time>},
     'June 2024 is a date');
like($out, qr{The <span data-geotag="Legislation geotag-duck-pact">pact</span>},
     'pact refers back');
like($out, qr{"value":5000,"unitText":"soldiers"}, 'soldiers is a unit');

# a third language: a data file, no C
my $fr = '<html lang="fr"><body><article><p>Freedonia a signé le traité '
       . 'le 19 juin 2024; en 2024, 30 pour cent.</p></article></body></html>';
($out) = geotag($fr, '--dict', $dict, '--no-jsonld');
unlike($out, qr{datetime="2024-06-19"}, 'without a French pack juin is no month');
($out, $err, $rc) = geotag($fr, '--dict', $dict, '--no-jsonld',
                           '--lang-packs', 't/unit/data/lang-fr');
is($rc, 0, '--lang-packs names another directory') or diag $err;
like($out, qr{<time data-geotag="date" datetime="2024-06-19">19 juin 2024</time>},
     'with one, 19 juin 2024 is a date');
like($out, qr{<data data-geotag="figure percent" value="30">30 pour cent</data>},
     'and 30 pour cent a percentage');

# a missing or broken pack fails the run and --check
my $dir = tempdir(CLEANUP => 1);
($out, $err, $rc) = geotag('<p>x</p>', '--dict', $dict, '--lang-packs',
                           "$dir/none");
is($rc, 2, 'a missing packs directory exits 2');
like($err, qr{\Q$dir\E/none: cannot read the language packs directory},
     'and says so');
open my $fh, '>', "$dir/it.xml" or die;
print $fh qq{<?xml version="1.0"?>\n<language-pack xmlns="urn:mod-geotag:gazetteer:1" lang="it">\n}
        . qq{  <month number="1">gennaio</month>\n  <month number="0">zero</month>\n</language-pack>\n};
close $fh;
($out, $err, $rc) = geotag('<p>x</p>', '--dict', $dict, '--lang-packs', $dir);
is($rc, 2, 'a broken pack exits 2');
like($err, qr{\Q$dir\E/it\.xml:4: .*month}, 'with file:line and the reason');
($out, $err, $rc) = geotag('', '--lang-packs', $dir, '--check', $dict);
is($rc, 2, 'and fails --check');
like($err, qr{\Q$dir\E/it\.xml:4: }, 'the same way');
($out, $err, $rc) = geotag('', '--check', $dict);
is($rc, 0, 'the shipped packs pass --check') or diag $err;

done_testing();
