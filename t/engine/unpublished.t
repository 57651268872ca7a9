# An id nobody confirmed is never published: an entity marked verified="no",
# or with a local:slug id, is tagged under a local id ("geotag-" and a
# slug) in the markup, and in the JSON-LD as a node of the page (the page's
# IRI, "#", the local id) with its name and type only: no Wikidata IRI, no
# sameAs.  Checked on a small dictionary, and on the reference article and
# the samples with the shipped one.
use strict;
use warnings;
use lib 't/engine';
use Test::More;
use File::Temp qw(tempdir);
use GeotagTest;

my $dir = tempdir(CLEANUP => 1);
my $dict = "$dir/dict.xml";
open my $fh, '>', $dict or die "$dict: $!";
print $fh <<'XML';
<?xml version="1.0" encoding="UTF-8"?>
<gazetteer xmlns="urn:mod-geotag:gazetteer:1">
  <entity id="Q9990010" type="Country">
    <name lang="en" wikipedia="Freedonia">Freedonia</name>
  </entity>
  <entity id="Q9990011" type="Country" verified="no">
    <name lang="en" wikipedia="Sylvania">Sylvania</name>
  </entity>
  <entity id="local:grand-fenwick-council" type="GovernmentOrganization" verified="no">
    <name lang="en">Council of Grand Fenwick</name>
  </entity>
  <entity id="local:sylvania" type="Organization" verified="no">
    <name lang="en">Sylvanian Army</name>
  </entity>
</gazetteer>
XML
close $fh;

my $page = '<html lang="en"><body><article><p>Freedonia, Sylvania and the Council '
         . 'of Grand Fenwick met the Sylvanian Army.</p></article></body></html>';

my ($out, $err, $rc) = geotag($page, '--dict', $dict, '--url', 'https://example.org/news/a?p=1#top');
is($rc, 0, 'tagged') or diag $err;
like($out, qr{<span data-geotag="Country Q9990010">Freedonia</span>}, 'a verified id is in the markup');
like($out, qr{<span data-geotag="Country geotag-sylvania">Sylvania</span>},
     'an unverified id is not: its local id, a slug of its English name, is');
like($out, qr{<span data-geotag="GovernmentOrganization geotag-grand-fenwick-council">Council of Grand Fenwick</span>},
     'a local:slug id is written as geotag-slug');
like($out, qr{<span data-geotag="Organization geotag-sylvania-2">Sylvanian Army</span>},
     'a slug given twice gets -2, in dictionary order');
unlike($out, qr{Q9990011}, 'no unverified id anywhere in the page');
is(unwrap($out), $page, 'the page unwraps to the original');

my $ld = jsonld_of($out);
my %node = map { ($_->{'@id'} // '') => $_ } @{ $ld->{'@graph'} || [] };
my $verified = $node{'http://www.wikidata.org/entity/Q9990010'};
ok($verified && grep({ $_ eq 'https://www.wikidata.org/wiki/Q9990010' } @{ $verified->{sameAs} || [] }),
   'the verified entity links to Wikidata');
my $local = $node{'https://example.org/news/a#geotag-sylvania'};
ok($local, "the unverified entity is a node of the page: its IRI without query or fragment, '#', the local id");
is($local && $local->{name}, 'Sylvania', 'with its name');
is($local && $local->{'@type'}, 'Country', 'and its type');
ok($local && !exists $local->{sameAs}, 'and no sameAs');
ok($node{'https://example.org/news/a#geotag-grand-fenwick-council'}, 'the local:slug entity too');
my ($subject) = grep { ($_->{'@type'} // '') eq 'WebPage' } @{ $ld->{'@graph'} || [] };
my %mentioned = map { $_->{'@id'} => 1 } grep { $_->{'@id'} } @{ $subject->{mentions} || [] };
ok($mentioned{'https://example.org/news/a#geotag-sylvania'}, 'the page mentions it by that IRI');

($out) = geotag($page, '--dict', $dict, '--markup', 'microdata');
like($out, qr{<span data-geotag="Country geotag-sylvania" itemscope itemtype="https://schema.org/Country" itemid="#geotag-sylvania">},
     'microdata: the itemid is the local id on the page');
like($out, qr{itemid="http://www\.wikidata\.org/entity/Q9990010"}, 'microdata: a verified id is the Wikidata IRI');
$ld = jsonld_of($out);
%node = map { ($_->{'@id'} // '') => $_ } @{ $ld->{'@graph'} || [] };
ok($node{'#geotag-sylvania'}, 'a page with no IRI (no --url, no canonical): a relative #geotag- IRI');

# the shipped dictionary: no unverified or local entity is ever published
my $xml = slurp('conf/gazetteer.xml');
my @unverified;
while ($xml =~ m{<entity\b([^>]*)>}g) {
    my $attrs = $1;
    push @unverified, $1 if $attrs =~ /\bverified="no"/ && $attrs =~ /\bid="(Q[0-9]+)"/;
}
ok(@unverified > 0, 'the shipped dictionary has unverified ids to check (' . scalar(@unverified) . ')');
my $unverified = join '|', map { quotemeta } @unverified;
for my $file (shared_dir() . '/seed/article.html', glob('t/htdocs/samples/*.html')) {
    my ($tagged) = geotag(slurp($file));
    my @leaked = $tagged =~ /\b($unverified)\b/g;
    my %orig = map { $_ => 1 } slurp($file) =~ /\b($unverified)\b/g;
    @leaked = grep { !$orig{$_} } @leaked;
    is("@leaked", '', "$file: no unverified id inserted");
    my $doc = jsonld_of($tagged) or next;
    my @linked_local = grep { ($_->{'@id'} // '') =~ /#geotag-/ && exists $_->{sameAs} } @{ $doc->{'@graph'} || [] };
    is(scalar @linked_local, 0, "$file: no local node has sameAs");
}
done_testing();
