# tools/precision.py (make precision) on a tiny GUM sample and a tiny KIND
# sample made here, with a dictionary made here: the numbers it prints and
# the wrong tags it lists are the ones worked out by hand below; a sample it
# cannot read makes it fail.
use strict;
use warnings;
use utf8;
use lib 't/engine';
use Test::More;
use File::Temp qw(tempdir);
use File::Path qw(make_path);
use GeotagTest;

my $dir = tempdir(CLEANUP => 1);
my $bin = $GeotagTest::BIN;

sub put {
    my ($path, $text) = @_;
    open my $fh, '>:encoding(UTF-8)', $path or die "$path: $!";
    print $fh $text;
    close $fh;
}

sub slurp_utf8 {
    my ($path) = @_;
    open my $fh, '<:encoding(UTF-8)', $path or die "$path: $!";
    local $/;
    return scalar <$fh>;
}

# The dictionary: Freedonia and Grand Fenwick carry titles that need the
# normalization (first letter, %2C, underscores) to match the annotation;
# Sylvania is titled but annotated without an id (wrong); Ruritania has no
# English title (not judged); the Marsupilami Republic's title differs from
# the annotated one in case only (wrong, a likely redirect).
put("$dir/dict.xml", <<'XML');
<?xml version="1.0" encoding="UTF-8"?>
<gazetteer xmlns="urn:mod-geotag:gazetteer:1">
  <entity id="Q9990010" type="Country">
    <name lang="en" wikipedia="Freedonia">Freedonia</name>
    <name lang="it">Freedonia</name>
    <demonym lang="it">freedoniano/a/i/e</demonym>
  </entity>
  <entity id="Q9990011" type="Country">
    <name lang="en" wikipedia="Sylvania">Sylvania</name>
    <name lang="it">Sylvania</name>
  </entity>
  <entity id="Q9990012" type="Country">
    <name lang="en" wikipedia="Grand_Fenwick,_Duchy">Grand Fenwick</name>
  </entity>
  <entity id="Q9990013" type="Country">
    <name lang="en">Ruritania</name>
  </entity>
  <entity id="Q9990014" type="Country">
    <name lang="en" wikipedia="Marsupilami_Republic">Marsupilami Republic</name>
  </entity>
</gazetteer>
XML

# GUM: two documents; the second names nothing of the dictionary.
make_path("$dir/gum/coref-conll", "$dir/gum/dep-conllu");
put("$dir/gum/coref-conll/GUM_news_tiny.conll", <<'C');
# begin document GUM_news_tiny
0	Freedonia	(place-1-freedonia)
1	and	_
2	Sylvania	(place-2)
3	met	_
4	in	_
5	Grand	(place-3-Grand_Fenwick%2C_Duchy
6	Fenwick	place-3-Grand_Fenwick%2C_Duchy)
7	.	_
8	Ruritania	(place-4-Ruritania)
9	sent	_
10	the	_
11	Marsupilami	(person-5(place-6-Marsupilami_republic
12	Republic	place-6-Marsupilami_republic)
13	envoy	person-5)
14	.	_
# end document
C
put("$dir/gum/dep-conllu/GUM_news_tiny.conllu", <<'U');
# newdoc id = GUM_news_tiny
# sent_id = GUM_news_tiny-1
# text = Freedonia and Sylvania met in Grand Fenwick.
1	Freedonia	_	_	_	_	_	_	_	_
2	and	_	_	_	_	_	_	_	_
3	Sylvania	_	_	_	_	_	_	_	_
4	met	_	_	_	_	_	_	_	_
5	in	_	_	_	_	_	_	_	_
6	Grand	_	_	_	_	_	_	_	_
7	Fenwick	_	_	_	_	_	_	_	SpaceAfter=No
8	.	_	_	_	_	_	_	_	_

# sent_id = GUM_news_tiny-2
# text = Ruritania sent the Marsupilami Republic envoy.
1	Ruritania	_	_	_	_	_	_	_	_
2	sent	_	_	_	_	_	_	_	_
3	the	_	_	_	_	_	_	_	_
4	Marsupilami	_	_	_	_	_	_	_	_
5	Republic	_	_	_	_	_	_	_	_
6	envoy	_	_	_	_	_	_	_	SpaceAfter=No
7	.	_	_	_	_	_	_	_	_

U
put("$dir/gum/coref-conll/GUM_news_void.conll", <<'C');
# begin document GUM_news_void
0	Nothing	_
1	here	_
2	.	_
# end document
C
put("$dir/gum/dep-conllu/GUM_news_void.conllu", <<'U');
# sent_id = GUM_news_void-1
# text = Nothing here.
1	Nothing	_	_	_	_	_	_	_	_
2	here	_	_	_	_	_	_	_	SpaceAfter=No
3	.	_	_	_	_	_	_	_	_

U

# KIND: two documents (the second starts at its headline, a sentence without
# final punctuation after one with it).  Sylvania in the first is outside
# every span (wrong), "freedoniani" is lower case (not judged), Freedonia in
# the second is inside a longer name (in a span, and listed).
make_path("$dir/kind");
put("$dir/kind/sample.tsv", join('', map { "$_\n" } split /\n/, <<'K'));
Notizie	O
da	O
Freedonia	LOC

Il	O
presidente	O
di	O
Freedonia	LOC
ha	O
visitato	O
Sylvania	O
.	O

I	O
freedoniani	O
sono	O
contenti	O
.	O

Altra	O
notizia	O

Sylvania	LOC
e	O
la	O
Banca	ORG
di	ORG
Freedonia	ORG
.	O
K

sub run {
    my (@args) = @_;
    my $out = qx{python3 tools/precision.py --geotag '$bin' --dict '$dir/dict.xml' --gum '$dir/gum' --kind '$dir/kind' --jobs 2 @args 2>&1};
    return ($? >> 8, $out);
}

my ($rc, $out) = run("--wrong '$dir/wrong.txt'");
is($rc, 0, 'the tool runs') or diag $out;
#                                tags no-title titled correct wrong redirect? precision
like($out, qr/^GUM_news_tiny\s+5\s+1\s+4\s+2\s+2\s+1\s+50\.0%$/m,
     'GUM: 5 tags, 1 untitled, 4 titled, 2 correct (normalized titles), 2 wrong, 1 likely redirect')
    or diag $out;
like($out, qr/^GUM_news_void\s+0\s+0\s+0\s+0\s+0\s+0\s+-$/m, 'GUM: a document without tags');
like($out, qr/^total\s+5\s+1\s+4\s+2\s+2\s+1\s+50\.0%$/m, 'GUM: the total');
#                         documents tags treaties lower capitalized in-a-span inside wrong precision
like($out, qr/^sample\s+2\s+6\s+0\s+1\s+5\s+4\s+1\s+1\s+80\.0%$/m,
     'KIND: 2 documents, 6 tags, 1 lower case, 5 capitalized, 4 in a span (1 inside a longer name)')
    or diag $out;

my $wrong = slurp_utf8("$dir/wrong.txt");
like($wrong, qr/^# GUM: 2 wrong tags/m, 'the wrong list counts the GUM wrong tags');
like($wrong, qr/^GUM_news_tiny\tSylvania\tQ9990011\tSylvania\tplace \(no id\)\tFreedonia and Sylvania met in Grand Fenwick\.$/m,
     'a wrong GUM tag: document, text, id, title, the annotation it overlaps, sentence');
like($wrong, qr/^GUM_news_tiny\tMarsupilami Republic\tQ9990014\tMarsupilami Republic\tredirect\? place Marsupilami republic; person \(no id\)\t/m,
     'a title differing in case only is shown as a likely redirect');
like($wrong, qr/^GUM_news_tiny\tRuritania\tQ9990013\tRuritania\t/m, 'the untitled tag is listed for review');
like($wrong, qr/^# KIND: 1 wrong tags/m, 'the wrong list counts the KIND wrong tags');
like($wrong, qr/^sample #1\tSylvania\tQ9990011\tSylvania\tIl presidente di Freedonia ha visitato Sylvania\.$/m,
     'a wrong KIND tag: document, text, id, name, sentence (spacing rebuilt)');
like($wrong, qr/^sample #2\tFreedonia\tQ9990010\tFreedonia\tORG Banca di Freedonia\t/m,
     'a tag inside a longer annotated name is listed with that name');

# GUM only, and the tool fails on what it cannot read
($rc, $out) = run('--only gum');
is($rc, 0, '--only gum runs');
unlike($out, qr/KIND/, '--only gum measures GUM only');

unlink "$dir/gum/dep-conllu/GUM_news_void.conllu";
($rc, $out) = run('--only gum');
isnt($rc, 0, 'a GUM document without its conllu file fails');

put("$dir/gum/dep-conllu/GUM_news_void.conllu", "# text = Nothing there.\n1\tNothing\n2\tthere\n3\t.\n\n");
($rc, $out) = run('--only gum');
isnt($rc, 0, 'a conllu file whose tokens are not the conll file\'s fails');
like($out, qr/token 1 is 'there'/, 'and says where');

put("$dir/kind/sample.tsv", "Freedonia\tLOC\tx\n");
($rc, $out) = run('--only kind');
isnt($rc, 0, 'a KIND line that is not token<TAB>tag fails');

($rc, $out) = run('--only kind', "--dict '$dir/missing.xml'");
isnt($rc, 0, 'a missing dictionary fails');

done_testing();
