# The geotag command: options, errors, exit codes.
use strict;
use warnings;
use lib 't/engine';
use Test::More;
use File::Temp qw(tempfile);
use GeotagTest;

my ($out, $err, $rc) = geotag('', '--bogus');
is($rc, 2, 'an unknown option exits 2');
like($err, qr/unknown option "--bogus"/, 'and names it');
($out, $err, $rc) = geotag('', '--markup', 'loud');
is($rc, 2, 'a bad --markup exits 2');
($out, $err, $rc) = geotag('', '--dict');
is($rc, 2, 'a missing value exits 2');

($out, $err, $rc) = geotag('', '--check', 'conf/gazetteer.xml');
is($rc, 0, 'the shipped gazetteer passes --check') or diag $err;
like($out, qr/^\d+ entities, \d+ aliases, \d+ forms: OK/, '--check reports counts');

my ($fh, $bad) = tempfile(SUFFIX => '.xml', UNLINK => 1);
print $fh qq{<?xml version="1.0"?>\n<gazetteer xmlns="urn:mod-geotag:gazetteer:1">\n<entity id="Q1" type="Country">\n<name lang="it">X</name>\n<alias case="loud">Y</alias>\n</entity>\n</gazetteer>\n};
close $fh;
($out, $err, $rc) = geotag('', '--check', $bad);
is($rc, 2, 'a broken dictionary fails --check with exit 2');
like($err, qr/\Q$bad\E:5: .*case/, 'with file:line and the reason');
($out, $err, $rc) = geotag('<p>x</p>', '--dict', $bad);
is($rc, 2, 'and fails a run the same way');

my $page = '<html lang="it"><body><article><h1>Putin a Pechino</h1><p>Il presidente russo Vladimir Putin e la Cina. Putin.</p></article></body></html>';
($out) = geotag($page, '--mentions');
my @rows = map { [split /\t/] } split /\n/, $out;
ok(@rows >= 4, '--mentions prints one row per mention');
is_deeply([@{ $rows[0] }[2, 3, 4]], ['entity', 'Q7747', 'Putin'], 'offset, length, kind, id, text');
is(substr($page, $rows[0][0], $rows[0][1]), 'Putin', 'offset and length point at the original bytes');
($out) = geotag($page, '--jsonld');
like($out, qr/^\{"\@context":"https:\/\/schema.org","\@graph":\[/, '--jsonld prints the JSON only');
($out) = geotag($page, '--first-only');
my $n = () = $out =~ /data-geotag="Person Q7747"/g;
is($n, 1, '--first-only marks the first mention only');
($out) = geotag($page, '--markup', 'none');
unlike($out, qr/<span/, '--markup none: no inline markup');
like($out, qr/geotag-jsonld/, '--markup none: JSON-LD still written');
($out) = geotag($page, '--no-jsonld');
unlike($out, qr/geotag-jsonld/, '--no-jsonld: no JSON-LD');
($out) = geotag($page, '--types', 'figures,dates');
unlike($out, qr/data-geotag="Person/, '--types figures,dates: no actors');
($out) = geotag($page, '--markup', 'microdata');
like($out, qr{<span data-geotag="Person Q7747" itemscope itemtype="https://schema.org/Person" itemid="http://www.wikidata.org/entity/Q7747">Putin</span>},
     '--markup microdata: valid microdata items');
($out) = geotag('<html><body><div class="story"><p>Russia</p></div></body></html>', '--scope', 'div[class=story]');
like($out, qr/data-geotag="Country Q159"/, '--scope with a custom rule');
($out, $err, $rc) = geotag('', '--scope', '[role=');
is($rc, 2, 'a bad --scope exits 2');

done_testing();
