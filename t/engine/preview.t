# The editor preview (geotag --preview, src/preview.h): tooltips after the
# mentions' opening tags, a stylesheet and a panel before </body>.  Only
# insertions: removing the preview's elements gives the page as readers get
# it, and unwrapping that gives the original.  The panel lists exactly the
# mentions --mentions prints; every dictionary string is escaped and ASCII.
use strict;
use warnings;
use lib 't/engine';
use Test::More;
use File::Temp qw(tempdir);
use GeotagTest;

# The preview's elements, whole (src/preview.h: <NAME data-geotag="preview...">
# up to the first </NAME>).
sub preview_elements {
    my ($html) = @_;
    my @el;
    push @el, $1 while $html =~ m{(<(span|style|aside) data-geotag="preview[^"]*"[^>]*>.*?</\2>)}gs;
    return @el;
}

# The panel's mention rows: [offset, length, kind, id] in order.
sub panel_mentions {
    my ($html) = @_;
    my ($panel) = $html =~ m{(<aside data-geotag="preview".*?</aside>)}s;
    return () unless defined $panel;
    my @rows;
    while ($panel =~ m{<tr data-offset="(\d+)" data-length="(\d+)" data-kind="([^"]*)" data-id="([^"]*)">}g) {
        push @rows, join "\t", $1, $2, $3, $4;
    }
    return @rows;
}

sub cli_mentions {
    my ($out) = @_;
    return map { join "\t", (split /\t/)[0 .. 3] } split /\n/, $out;
}

for my $name (qw(it-analisi en-analysis)) {
    my $page = slurp("t/htdocs/samples/$name.html");
    my ($plain, $err0, $rc0) = geotag($page);
    my ($prev, $err, $rc) = geotag($page, '--preview');
    is($rc, 0, "$name: --preview runs") or diag $err;
    my ($ment) = geotag($page, '--mentions');
    my @want = cli_mentions($ment);
    ok(@want > 20, "$name: the page has mentions (" . scalar(@want) . ")");
    is_deeply([panel_mentions($prev)], \@want,
              "$name: the panel lists exactly the mentions --mentions prints");

    # only insertions: without the preview's elements it is the reader's page
    my @el = preview_elements($prev);
    my $tips = grep { /^<span data-geotag="preview-tip">/ } @el;
    my $marked = () = $plain =~ /<(?:span data-geotag="[A-Za-z]+ |data data-geotag|time data-geotag)/g;
    is($tips, $marked, "$name: one tooltip per marked mention ($marked)");
    is(scalar(grep { /^<style / } @el), 1, "$name: one stylesheet");
    is(scalar(grep { /^<aside / } @el), 1, "$name: one panel");
    (my $without = $prev) =~ s{<(span|style|aside) data-geotag="preview[^"]*"[^>]*>.*?</\1>}{}gs;
    ok($without eq $plain, "$name: without the preview's elements, the page readers get");
    ok(unwrap($prev, preview => 1) eq $page, "$name: unwrapping the preview gives the original bytes");
    ok(unwrap($prev) ne $page, "$name: (the plain unwrapper leaves the preview's elements)");
    unlike($plain, qr/data-geotag="preview/, "$name: no preview without --preview");

    my @bad = grep { /[^\x0a\x20-\x7e]/ } @el;
    is(scalar(@bad), 0, "$name: the preview inserts ASCII only") or diag substr($bad[0], 0, 200);
    is(scalar(grep { /<script/i || /\son\w+=/i || /javascript:/i } @el), 0,
       "$name: no script, no event handler");
    my ($panel) = grep { /^<aside / } @el;
    like($panel, qr{<a href="https://www\.wikidata\.org/wiki/Q7747">Wikidata</a>}, "$name: the panel links Wikidata");
    like($panel, qr{<h2>Treaties \(\d+\)</h2>}, "$name: the panel lists treaties");
    like($panel, qr{<h2>Figures \(\d+\)</h2>.*<code>\d+</code>}s, "$name: the panel lists figures with their values");
    like($prev, qr{<span data-geotag="Person Q7747"><span data-geotag="preview-tip"><b>Vladimir Putin</b>.*?<code>Q7747</code></span>Putin|<span data-geotag="Person Q7747"><span data-geotag="preview-tip"><b>Vladimir Putin</b>.*?<code>Q7747</code></span>Vladimir},
         "$name: a mention's tooltip names its entity and id, before the mention's text");
}

{   # names from the dictionary are escaped and ASCII
    my $dir = tempdir(CLEANUP => 1);
    open my $fh, '>', "$dir/d.xml" or die;
    print $fh <<'XML';
<?xml version="1.0" encoding="UTF-8"?>
<gazetteer xmlns="urn:mod-geotag:gazetteer:1">
  <entity id="Q9990020" type="Organization">
    <name lang="en" wikipedia="Acme &amp; &lt;Sons&gt;">Acme &amp; &lt;Sons&gt; "Ünïon"</name>
    <alias lang="en">Acmeunion</alias>
  </entity>
</gazetteer>
XML
    close $fh;
    my $page = qq{<html lang="en"><body><article><p>Acmeunion grew.</p></article></body></html>\n};
    my ($out, $err, $rc) = geotag($page, '--dict', "$dir/d.xml", '--preview');
    is($rc, 0, 'escape: runs') or diag $err;
    like($out, qr{<b>Acme &amp; &lt;Sons&gt; &quot;&#xDC;n&#xEF;on&quot;</b>}, 'escape: a name is HTML-escaped, non-ASCII as references');
    like($out, qr{href="https://en\.wikipedia\.org/wiki/Acme_&amp;_%3CSons%3E"}, 'escape: the Wikipedia link is escaped');
    unlike(join('', preview_elements($out)), qr/[^\x0a\x20-\x7e]/, 'escape: ASCII only');
    ok(unwrap($out, preview => 1) eq $page, 'escape: unwraps to the original');
}

{   # the CSP nonce, and only a well-formed one
    my $page = slurp('t/htdocs/samples/en-analysis.html');
    my ($out) = geotag($page, '--preview', '--preview-nonce', 'r4nd0m+/=');
    like($out, qr{<style data-geotag="preview" nonce="r4nd0m\+/=">}, 'nonce: written on the <style>');
    ($out) = geotag($page, '--preview', '--preview-nonce', 'x" onload="y');
    like($out, qr{<style data-geotag="preview">}, 'nonce: a malformed one is not written');
    unlike($out, qr/onload/, 'nonce: nothing of it is');
}

{   # pages without mentions, and pages left alone
    my $page = qq{<html><body><article><p>Nothing here.</p></article></body></html>\n};
    my ($out) = geotag($page, '--preview');
    like($out, qr{Nothing on this page is tagged\.</p>\n</details></aside></body>}, 'nothing: the panel says so, before </body>');
    ok(unwrap($out, preview => 1) eq $page, 'nothing: unwraps to the original');
    my $listing = slurp('t/htdocs/samples/index.html');
    ($out) = geotag($listing, '--preview');
    ok($out eq $listing, 'listing: left untouched, preview included');
    my $optout = qq{<html><head><meta name="geotag" content="off"></head><body><article><p>Russia.</p></article></body></html>\n};
    ($out) = geotag($optout, '--preview');
    ok($out eq $optout, 'opted out: untouched, preview included');
}

{   # chunking does not change the preview
    my $page = slurp('t/htdocs/samples/it-analisi.html');
    my ($whole) = geotag($page, '--preview');
    for my $seed (1, 7, 42) {
        my ($out) = geotag($page, '--preview', '--chunk', '64', '--chunk-seed', $seed);
        ok($out eq $whole, "chunks (seed $seed): the same bytes");
    }
}

done_testing;
