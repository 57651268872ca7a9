# A one-word form of a person followed by a capitalized word is the start of
# another name ("Kim" in "Kim Il Sung", "Trump" in "Trump Tower"), not the
# person; but a day of the week after it ("Putin Monday said") and a Title
# Case headline ("Putin Meets Kim") still tag (docs/gazetteer.md, "Short
# forms").  On a small dictionary, and with the weekdays taken out of the
# language pack, so that the rule's exception can fail.
use strict;
use warnings;
use lib 't/engine';
use Test::More;
use File::Temp qw(tempdir);
use GeotagTest;

my $dir = tempdir(CLEANUP => 1);
my $dict = "$dir/dict.xml";
open my $fh, '>:encoding(UTF-8)', $dict or die;
print $fh <<'XML';
<?xml version="1.0" encoding="UTF-8"?>
<gazetteer xmlns="urn:mod-geotag:gazetteer:1">
  <entity id="Q56226" type="Person" source="t"><name lang="en">Kim Jong Un</name><alias short="yes">Kim</alias></entity>
  <entity id="Q7747" type="Person" source="t"><name lang="en">Vladimir Putin</name><alias>Putin</alias></entity>
  <entity id="Q22686" type="Person" source="t"><name lang="en">Donald Trump</name><alias case="exact">Trump</alias></entity>
</gazetteer>
XML
close $fh;

sub tags {
    my ($body, @args) = @_;
    my $page = qq{<html lang="en"><body><article>$body</article></body></html>};
    my ($out, $err, $rc) = geotag($page, '--dict', $dict, '--mentions', '--types', 'actors', @args);
    die "geotag: $err" if $rc;
    return join ' ', map { my @f = split /\t/; "$f[4]=$f[3]" } split /\n/, $out;
}

is(tags('<p>Kim Jong Un spoke. Kim Il Sung founded the state.</p>'), 'Kim Jong Un=Q56226',
   '"Kim" in "Kim Il Sung" is not Kim Jong Un');
is(tags('<p>Kim Jong Un spoke. Later Kim smiled.</p>'), 'Kim Jong Un=Q56226 Kim=Q56226',
   'the short form alone still tags after the full name');
is(tags('<p>Donald Trump visited Trump Tower.</p>'), 'Donald Trump=Q22686',
   '"Trump" in "Trump Tower" is not the person');
is(tags('<p>Putin Monday said no.</p>'), 'Putin=Q7747',
   'a day of the week after it does not continue a name');
is(tags('<p>Putin March visit.</p>'), 'Putin=Q7747',
   'nor does a month');
is(tags('<h2>Putin Meets Kim Jong Un In Moscow</h2><p>Putin Meets Trump Today</p>'),
   'Putin=Q7747 Kim Jong Un=Q56226 Putin=Q7747 Trump=Q22686',
   'a Title Case line: the capitals after a surname are no sign of another name');
is(tags('<p>Putin Doctrine, they called it.</p>'), '',
   'a capitalized word after it in running text: another name');

# the exception removed: without weekdays in the pack, "Putin Monday" reads as a name
my ($packs, $removed) = packs_without("$dir/packs", 'weekday');
ok($removed->{$_} > 0, "$_: the pack has weekdays to remove") for qw(it en);
is(tags('<p>Putin Monday said no.</p>', '--lang-packs', $packs), '',
   'without the weekdays, "Putin Monday" reads as another name: the exception is what tags it');

# the corpus pages, with the default dictionary: no mention starts at a
# surname that begins another name there ("Kim Il Sung", "Trump Tower")
{
    my ($found, @wrong) = (0);
    for my $file (corpus_pages(100000)) {
        my $page = $file =~ /\.gz$/ ? `gzip -dc '$file'` : slurp($file);
        my @at;
        while ($page =~ /(?=(?:Kim Il[- ]Sung|Kim Jong[- ]Il|Trump Tower|Trump Organization)\b)/g) {
            push @at, pos($page);
        }
        next unless @at;
        my ($out, $err, $rc) = geotag($page, '--mentions', '--types', 'actors');
        my %start = map { (split /\t/)[0] => (split /\t/)[4] } split /\n/, $out;
        for my $o (@at) {
            $found++;
            push @wrong, "$file\@$o: $start{$o}" if defined $start{$o} && $start{$o} =~ /^(Kim|Trump)$/;
        }
    }
    ok($found > 0, "the corpus has such names ($found)");
    is(scalar(@wrong), 0, 'no surname tagged where it starts another name in the corpus')
        or diag join "\n", @wrong;
}

done_testing();
