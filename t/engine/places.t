# Every place of the default dictionary (cities, regions, seas, continents:
# every entity that is not a country, an organization, a person or a treaty)
# named by its Italian name in an Italian page and by its English name in an
# English page, one paragraph each after a place preposition ("Notizie da
# X." / "News from X."), must be tagged with its own id, and no country may
# be tagged inside a place's name ("Città del Messico", "Kuwait City",
# "Benin City"). The names are read from conf/gazetteer.xml, never written
# here, so the test follows the dictionary.
#
# Not expected to be tagged, by design (docs/gazetteer.md): a name declared
# ambiguous="yes" (Tripoli, Córdoba, Valencia, Gaza: tagged only once the page
# named one of the places sharing it unambiguously, which these pages never
# do); for those the paragraph must tag no other place either.  A name with
# parentheses, a comma or a full stop ("Victoria (Seychelles)", "St. Louis")
# is expected: the matcher matches a form's punctuation.
use strict;
use warnings;
use utf8;
use lib 't/engine';
use Test::More;
use Encode qw(encode_utf8 decode_utf8);
use GeotagTest;

my $xml = decode_utf8(slurp('conf/gazetteer.xml'));

my %NOT_PLACE = map { $_ => 1 } qw(Country Person Organization GovernmentOrganization
                                   PoliticalParty NGO Legislation);

sub unxml {
    my ($s) = @_;
    $s =~ s/&lt;/</g; $s =~ s/&gt;/>/g; $s =~ s/&quot;/"/g; $s =~ s/&apos;/'/g; $s =~ s/&amp;/&/g;
    return $s;
}

my (@places, %country);
while ($xml =~ m{<entity\b([^>]*)>(.*?)</entity>}gs) {
    my ($attrs, $body) = ($1, $2);
    my ($id) = $attrs =~ /\bid="([^"]+)"/;
    my ($type) = $attrs =~ /\btype="([^"]+)"/;
    if ($type eq 'Country') { $country{$id} = 1; next }
    next if $NOT_PLACE{$type} || $attrs =~ /\bkind="treaty"/;
    my %p = (id => $id, type => $type);
    while ($body =~ m{<name\b([^>]*)>([^<]*)</name>}g) {
        my ($na, $text) = ($1, unxml($2));
        my ($lang) = $na =~ /\blang="([^"]+)"/;
        next unless defined $lang && ($lang eq 'it' || $lang eq 'en');
        next if $p{$lang};
        $p{$lang} = { text => $text, shared => ($na =~ /\bambiguous="yes"/ ? 1 : 0) };
    }
    push @places, \%p;
}

cmp_ok(scalar @places, '>=', 600, 'the dictionary has at least 600 places')
    or diag scalar(@places) . ' places';
my @unnamed = map { "$_->{id} (" . join('/', grep { !$_->{$_} } qw(it en)) . ')' }
              grep { !$_->{it} || !$_->{en} } @places;
is(scalar @unnamed, 0, 'every place has an Italian and an English name') or diag "@unnamed";

# Tag one language's names, in pages of at most $CHUNK places (a page holds at
# most 500 distinct entities, GeoTagLimits). Returns the problems.
my $CHUNK = 250;
sub check_lang {
    my ($lang) = @_;
    my $lead = $lang eq 'it' ? 'Notizie da' : 'News from';
    my (@wrong, @missed, @inside, $tested, $skipped);
    my @todo = grep { $_->{$lang} } @places;
    while (my @chunk = splice @todo, 0, $CHUNK) {
        my $page = qq{<!DOCTYPE html>\n<html lang="$lang"><head><meta charset="utf-8"><title>Places</title></head><body><article>\n};
        my @start;
        for my $p (@chunk) {
            push @start, length(encode_utf8($page));
            $page .= "<p>$lead $p->{$lang}{text}.</p>\n";
        }
        $page .= "</article></body></html>\n";
        my ($out, $err, $rc) = geotag(encode_utf8($page), '--mentions');
        die "geotag: $err" if $rc != 0;
        my %seen;    # paragraph index -> [ids]
        for my $line (split /\n/, $out) {
            my ($off, undef, $kind, $id) = split /\t/, $line;
            next unless defined $kind && $kind eq 'entity';
            my $i = 0;
            $i++ while $i + 1 < @start && $start[$i + 1] <= $off;
            push @{ $seen{$i} }, $id;
        }
        for my $i (0 .. $#chunk) {
            my $p = $chunk[$i];
            my $name = $p->{$lang}{text};
            my @ids = @{ $seen{$i} || [] };
            push @inside, "$p->{id} $name: $_" for grep { $country{$_} } @ids;
            my @other = grep { $_ ne $p->{id} && !$country{$_} } @ids;
            push @wrong, "$p->{id} $name: " . join(' ', @other) if @other;
            if ($p->{$lang}{shared}) {
                $skipped++;
                next;
            }
            $tested++;
            push @missed, "$p->{id} $name" unless grep { $_ eq $p->{id} } @ids;
        }
    }
    return ($tested, $skipped, \@missed, \@wrong, \@inside);
}

for my $lang (qw(it en)) {
    my ($tested, $skipped, $missed, $wrong, $inside) = check_lang($lang);
    diag "$lang: $tested place names tagged with their own id, $skipped shared names not expected";
    is(scalar @$missed, 0, "$lang: every place name is tagged with its own id") or diag "missed: @$missed";
    is(scalar @$wrong, 0, "$lang: no place name is tagged as another place") or diag join "\n", @$wrong;
    is(scalar @$inside, 0, "$lang: no country is tagged inside a place name") or diag join "\n", @$inside;
}

done_testing();
