# Each consumer check can fail: a sound tagged page of our own passes every
# check, then deliberately broken variants of it (a changed byte, an
# element inside <title> or <a>, broken JSON-LD, an undefined @id, the
# article @id not reused, entity markup without JSON-LD, a new validator
# error, a bad datetime, a moved box, changed innerText) each fail the
# check meant to catch them.
use strict;
use warnings;
use Test::More;
use File::Temp qw(tempdir);
use lib 't/lib', 't/consumers';
use Consumers;

binmode Test::More->builder->$_, ':encoding(UTF-8)' for qw(output failure_output todo_output);

my @missing = Consumers::missing_tools();
ok(!@missing, 'the consumers are installed') or do {
    diag "missing: $_" for @missing;
    done_testing;
    exit 1;
};

my $ARTICLE = 'https://example.org/news/1#article';
my $orig = <<"HTML";
<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Russia and China meet</title>
<script type="application/ld+json">{"\@context":"https://schema.org","\@type":"NewsArticle","\@id":"$ARTICLE","headline":"Russia and China meet","datePublished":"2025-03-02","author":{"\@type":"Person","name":"A. Writer"},"image":"https://example.org/i.jpg"}</script>
</head><body><article><h1>Talks</h1>
<p>Officials in Russia met their counterparts from China on 2 March 2025; 38 people attended.</p>
<p><a href="/more">More from Russia</a></p>
</article></body></html>
HTML

my $block = qq({"\@context":"https://schema.org","\@graph":[{"\@id":"$ARTICLE","\@type":"WebPage","mentions":[{"\@id":"http://www.wikidata.org/entity/Q159"},{"\@id":"http://www.wikidata.org/entity/Q148"}]},)
  . qq({"\@id":"http://www.wikidata.org/entity/Q159","\@type":"Country","name":"Russia"},)
  . qq({"\@id":"http://www.wikidata.org/entity/Q148","\@type":"Country","name":"China"}]});
sub script { qq(<script type="application/ld+json" id="geotag-jsonld" data-geotag="jsonld">$_[0]</script>) }

(my $good = $orig) =~ s{in Russia met their counterparts from China on 2 March 2025; 38 people}
    {in <span data-geotag="Country Q159">Russia</span> met their counterparts from <span data-geotag="Country Q148">China</span> on <time data-geotag="date" datetime="2025-03-02">2 March 2025</time>; <data data-geotag="figure" value="38">38</data> people};
$good =~ s{</body>}{script($block) . '</body>'}e;

# name => [how the tagged page is broken, the check that must fail]
my %broken = (
    'changed byte' => [sub { $_[0] =~ s/counterparts/counterpart!/ }, 'bytes'],
    'span in title' => [sub { $_[0] =~ s{<title>Russia}{<title><span data-geotag="Country Q159">Russia</span>} }, 'parse5'],
    'span in a link' => [sub { $_[0] =~ s{More from Russia}{More from <span data-geotag="Country Q159">Russia</span>} }, 'parse5'],
    'block not JSON' => [sub { $_[0] =~ s{"name":"China"\}\]\}}{"name":"China"\}\]} }, 'jsonld'],
    'undefined @id' => [sub { $_[0] =~ s{(\{"\@id":"http://www.wikidata.org/entity/Q148"\})}{$1,\{"\@id":"https://example.org/nobody"\}} }, 'jsonld'],
    'article @id not reused' => [sub { $_[0] =~ s{"\@id":"\Q$ARTICLE\E","\@type":"WebPage"}{"\@id":"https://example.org/other","\@type":"WebPage"} }, 'jsonld'],
    'markup without JSON-LD' => [sub { $_[0] =~ s{<script type="application/ld\+json" id="geotag-jsonld"[^<]*</script>}{} }, 'jsonld'],
    'subject without @id' => [sub { $_[0] =~ s{"\@id":"\Q$ARTICLE\E","\@type":"WebPage"}{"\@type":"WebPage"} }, 'jsonld'],
    'new validator error' => [sub { $_[0] =~ s{\]\}</script>}{,\{"\@type":"Product","name":"x"\}\]\}</script>} }, 'validator'],
    'bad datetime' => [sub { $_[0] =~ s{datetime="2025-03-02"}{datetime="2 March"} }, 'vnu'],
    'changed innerText' => [sub { $_[0] =~ s{<span data-geotag="Country Q159">Russia</span> met}{<span data-geotag="Country Q159" style="display:block">Russia</span> met} }, 'chromium'],
    'moved box' => [sub { $_[0] =~ s{<span data-geotag="Country Q148">}{<span data-geotag="Country Q148" style="display:inline-block;margin-top:20px">} }, 'chromium'],
    # an inline of ours that makes its line taller: the height of a bare
    # inline box is not compared (chromium.mjs), its block's is
    'taller line' => [sub { $_[0] =~ s{<span data-geotag="Country Q148">}{<span data-geotag="Country Q148" style="font-size:40px">} }, 'chromium'],
    'JSON.parse fails' => [sub { $_[0] =~ s{"name":"China"\}\]\}}{"name":"China",\}\]\}} }, 'chromium'],
);

my $dir = tempdir('geotag-negative-XXXXXX', TMPDIR => 1, CLEANUP => 1);
Consumers::spew("$dir/orig.html", $orig);
Consumers::spew("$dir/good.html", $good);
my @pairs = ({ name => 'good', orig => "$dir/orig.html", tagged => "$dir/good.html" });
my $n = 0;
for my $name (sort keys %broken) {
    my $page = $good;
    $broken{$name}[0]->($page) or die "the variant '$name' changed nothing\n";
    my $file = sprintf '%s/broken-%02d.html', $dir, $n++;
    Consumers::spew($file, $page);
    push @pairs, { name => $name, orig => "$dir/orig.html", tagged => $file };
}

my %r;
$r{"$_->{check}\t$_->{name}"} = $_ for Consumers::run_checks($dir, \@pairs);
for my $check (@Consumers::CHECKS) {
    my $g = $r{"$check\tgood"};
    ok($g && $g->{ok}, "$check: the sound page passes") or diag $g ? $g->{detail} : 'no result';
}
for my $name (sort keys %broken) {
    my $check = $broken{$name}[1];
    my $x = $r{"$check\t$name"};
    ok($x && !$x->{ok}, "$check fails on: $name") and note "  $x->{detail}";
    diag "  $check on '$name': $x->{detail}" if $x && !$x->{ok} && $ENV{TEST_VERBOSE};
}

done_testing();
