# The editor preview (GeoTagPreview env=VARIABLE [nonce=VARIABLE]).  A
# private httpd (one child) serves the sample articles; an editor who sends
# credentials must log in (Basic, <If "-n req('Authorization')">), and only
# then is the variable set, as docs/directives.md shows.
#
#   - the panel lists exactly the mentions `geotag --mentions` reports for
#     the page; its stylesheet carries the site's CSP nonce;
#   - removing the preview's elements gives the readers' page, and
#     unwrapping everything the original bytes;
#   - the readers' page is unaffected in the cache: public (miss, stored),
#     preview (Cache-Control: private, another ETag, nothing stored, not
#     answered from the cache), public again (a hit: the same bytes and
#     ETag as the first);
#   - the ETags validate only their own representation (If-None-Match);
#   - no preview without the variable: no directive, bad credentials, a
#     query string, a cookie or a header of that name;
#   - mod_cache (CacheQuickHandler Off) never stores a preview.
use strict;
use warnings FATAL => 'all';
use Apache::Test;
use Apache::TestUtil;
use Digest::SHA qw(sha1);
use MIME::Base64 qw(encode_base64);
use lib 't/lib', 't/engine';
use GeotagHttpd qw(counter_delta sample unwrap bytes_diff);
use GeotagTest qw(geotag);

plan tests => 50, need_module 'mod_geotag.c';

my $h = GeotagHttpd->new(modules => [qw(authn_core authn_file auth_basic authz_user setenvif
                                        cache cache_socache)]);
my $dir = $h->dir;
my %page = (it => sample('it-analisi.html'), en => sample('en-analysis.html'));
for my $area (qw(articles plain mc intranet)) {
    mkdir "$dir/htdocs/$area" or die "$area: $!";
    for my $name (keys %page) {
        my $file = "$dir/htdocs/$area/$name.html";
        open my $fh, '>:raw', $file or die "$file: $!";
        print $fh $page{$name};
        close $fh;
        # older than a second: a strong ETag, the module cache's key
        utime time - 120, time - 120, $file;
    }
}
open my $pw, '>', "$dir/editors" or die;
print $pw 'editor:{SHA}' . encode_base64(sha1('secret'), '') . "\n";
close $pw;

my $auth = <<"AUTH";
        <If "-n req('Authorization')">
            AuthType Basic
            AuthName "Editors"
            AuthBasicProvider file
            AuthUserFile "$dir/editors"
            Require valid-user
            SetEnv geotag-preview 1
            SetEnv CSP_NONCE n0nce42
        </If>
AUTH
$h->start(<<"CONF");
Header always set X-GeoTag-Result "%{geotag-result}e" env=geotag-result
<Location /geotag-status>
    SetHandler geotag-status
</Location>
<Location /articles/>
    GeoTag On
    GeoTagPreview env=geotag-preview nonce=CSP_NONCE
$auth
</Location>
# the variable alone, without the directive
<Location /plain/>
    GeoTag On
    SetEnvIf X-Editor . geotag-preview=1
</Location>
# mod_cache after authentication, in front of the same pages
CacheQuickHandler Off
CacheSocache shmcb
CacheHeader On
CacheDefaultExpire 600
CacheIgnoreNoLastMod On
<Location /mc/>
    CacheEnable socache
    GeoTag On
    GeoTagPreview env=geotag-preview nonce=CSP_NONCE
$auth
</Location>
# an editor known by address (an intranet) sends no Authorization, which
# alone would keep mod_cache from storing the response
<Location /intranet/>
    CacheEnable socache
    GeoTag On
    GeoTagPreview env=geotag-preview
    <If "-R '127.0.0.0/8' && -n req('X-Editor')">
        SetEnv geotag-preview 1
    </If>
</Location>
CONF

my $editor = 'Basic ' . encode_base64('editor:secret', '');
sub result { $_[0]->header('X-GeoTag-Result') // '(none)' }
sub has_preview { $_[0]->content =~ /data-geotag="preview/ ? 'preview' : 'no preview' }

# The panel's mention rows, and what geotag --mentions says of the page.
sub panel_mentions {
    my ($html) = @_;
    my ($panel) = $html =~ m{(<aside data-geotag="preview".*?</aside>)}s or return ();
    my @rows;
    push @rows, "$1\t$2\t$3\t$4"
        while $panel =~ m{<tr data-offset="(\d+)" data-length="(\d+)" data-kind="([^"]*)" data-id="([^"]*)">}g;
    return @rows;
}
sub cli_mentions {
    my ($out, $err, $rc) = geotag($_[0], '--mentions');
    die "geotag --mentions: $err" if $rc;
    return map { join "\t", (split /\t/)[0 .. 3] } split /\n/, $out;
}

# 1-5: the readers' page, stored
my $c0 = $h->counters;
my $public = $h->get('/articles/it.html');
ok t_cmp($public->code . ' ' . result($public), '200 miss', 'public: tagged and stored');
ok t_cmp(has_preview($public), 'no preview', 'public: no preview markup');
my $etag = $public->header('ETag') // '';
ok t_cmp($etag, qr/^"[^"]+-gt[0-9a-f]{8}"$/, 'public: our ETag');
ok t_cmp($public->header('Cache-Control') // '(none)', '(none)', 'public: no Cache-Control of ours');
my ($back) = unwrap($public->content);
ok t_cmp(bytes_diff($back, $page{it}), 'identical', 'public: unwraps to the file');

# 6-18: the preview
my $c1 = $h->counters;
my $prev = $h->get('/articles/it.html', Authorization => $editor);
ok t_cmp($prev->code . ' ' . result($prev), '200 uncached:preview', 'preview: tagged, not cached');
ok t_cmp(has_preview($prev), 'preview', 'preview: has the panel');
ok t_cmp($prev->header('Cache-Control') // '', 'private, no-cache', 'preview: Cache-Control private');
my $petag = $prev->header('ETag') // '';
ok t_cmp($petag, qr/^"[^"]+-gt[0-9a-f]{8}-preview"$/, 'preview: an ETag of its own');
ok t_cmp(substr($petag, 0, length($etag) - 1) . '"', $etag, 'preview: the public ETag plus -preview');
my $c2 = $h->counters;
ok t_cmp(counter_delta($c1, $c2, 'cache_stores'), 0, 'preview: nothing stored');
ok t_cmp(counter_delta($c1, $c2, 'cache_hits'), 0, 'preview: not answered from the cache');
ok t_cmp(counter_delta($c1, $c2, 'uncached_preview'), 1, 'preview: counted (uncached_preview)');
my @want = cli_mentions($page{it});
my @got = panel_mentions($prev->content);
ok t_cmp(scalar(@want) > 20 ? 'many' : 'few', 'many', 'the page has mentions (' . scalar(@want) . ')');
ok t_cmp(join("\n", @got), join("\n", @want), 'the panel lists exactly the mentions of geotag --mentions');
ok t_cmp($prev->content, qr{<style data-geotag="preview" nonce="n0nce42">}, 'the stylesheet carries the nonce');
my ($orig, undef, $problems) = unwrap($prev->content, preview => 1);
ok t_cmp(bytes_diff($orig, $page{it}) . '; ' . (join('; ', @$problems) || 'sound'), 'identical; sound',
         'unwrapping the preview gives the original bytes');
(my $readers = $prev->content) =~ s{<(span|style|aside) data-geotag="preview[^"]*"[^>]*>.*?</\1>}{}gs;
ok t_cmp(bytes_diff($readers, $public->content), 'identical',
         'without its elements the preview is the readers\' page');

# 19-22: the readers' page again: from the cache, unchanged
my $again = $h->get('/articles/it.html');
ok t_cmp(result($again), 'hit', 'public again: a hit');
ok t_cmp(bytes_diff($again->content, $public->content), 'identical', 'public again: the same bytes');
ok t_cmp($again->header('ETag') // '', $etag, 'public again: the same ETag');
my $again2 = $h->get('/articles/it.html');
ok t_cmp(result($again2) . ' ' . bytes_diff($again2->content, $public->content), 'hit identical',
         'public a third time (the child\'s memory): the same bytes');

# 23-24: a preview after the hits is still made anew, never from memory
my $c3 = $h->counters;
my $prev2 = $h->get('/articles/it.html', Authorization => $editor);
ok t_cmp(result($prev2) . ' ' . bytes_diff($prev2->content, $prev->content), 'uncached:preview identical',
         'a second preview: made anew, the same bytes');
ok t_cmp(counter_delta($c3, $h->counters, 'cache_memory_hits'), 0, 'a second preview: not from the child\'s memory');

# 25-30: conditional requests: each ETag validates its own representation
my $r = $h->get('/articles/it.html', Authorization => $editor, 'If-None-Match' => $petag);
ok t_cmp($r->code, 304, 'preview with the preview ETag: 304');
ok t_cmp(($r->header('ETag') // '') . ' ' . ($r->header('Cache-Control') // ''), "$petag private, no-cache",
         'the 304 has the preview ETag and Cache-Control private');
$r = $h->get('/articles/it.html', Authorization => $editor, 'If-None-Match' => $etag);
ok t_cmp($r->code . ' ' . has_preview($r), '200 preview', 'preview with the public ETag: the whole preview');
$r = $h->get('/articles/it.html', 'If-None-Match' => $petag);
ok t_cmp($r->code . ' ' . has_preview($r), '200 no preview', 'public with the preview ETag: the whole readers\' page');
$r = $h->get('/articles/it.html', 'If-None-Match' => $etag);
ok t_cmp($r->code, 304, 'public with the public ETag: 304');
$r = $h->ua->head($h->url('/articles/it.html'), Authorization => $editor);
ok t_cmp(($r->header('Cache-Control') // '') . ' ' . ($r->header('ETag') // ''), "private, no-cache $petag",
         'HEAD of the preview: its headers');

# 31-37: no preview without the variable
$r = $h->get('/articles/it.html', Authorization => 'Basic ' . encode_base64('editor:wrong', ''));
ok t_cmp($r->code . ' ' . has_preview($r), '401 no preview', 'bad credentials: 401, no preview');
$r = $h->get('/articles/it.html?geotag-preview=1');
ok t_cmp(has_preview($r), 'no preview', 'a query string asks for nothing');
$r = $h->get('/articles/it.html', Cookie => 'geotag-preview=1; CSP_NONCE=x');
ok t_cmp(has_preview($r), 'no preview', 'a cookie asks for nothing');
$r = $h->get('/articles/it.html', 'geotag-preview' => '1', 'X-Editor' => '1');
ok t_cmp(has_preview($r), 'no preview', 'a header asks for nothing');
$r = $h->get('/plain/it.html', 'X-Editor' => '1');
ok t_cmp(result($r) . ' ' . has_preview($r), 'miss no preview',
         'the variable without GeoTagPreview: the readers\' page, cached');
$r = $h->get('/plain/it.html', Authorization => $editor, 'X-Editor' => '1');
ok t_cmp(has_preview($r), 'no preview', 'the variable and credentials without GeoTagPreview: no preview');
$r = $h->get('/articles/en.html', Authorization => $editor);
ok t_cmp(join("\n", panel_mentions($r->content)), join("\n", cli_mentions($page{en})),
         'the English article: the panel lists the mentions of geotag --mentions');

# 38-46: mod_cache in front: never stores a preview
$r = $h->get('/mc/it.html', Authorization => $editor);
ok t_cmp($r->code . ' ' . has_preview($r), '200 preview', 'mod_cache: the preview');
ok t_cmp($r->header('X-Cache') // '(none)', qr/^MISS/, 'mod_cache: the preview is a miss');
$r = $h->get('/mc/it.html');
ok t_cmp(has_preview($r), 'no preview', 'mod_cache: the readers\' page after a preview');
ok t_cmp($r->header('X-Cache') // '(none)', qr/^MISS/, 'mod_cache: nothing was stored by the preview');
my $mc_public = $r->content;
$r = $h->get('/mc/it.html');
ok t_cmp($r->header('X-Cache') // '(none)', qr/^HIT/, 'mod_cache: the readers\' page was stored');
ok t_cmp(bytes_diff($r->content, $mc_public), 'identical', 'mod_cache: and is answered the same');
$r = $h->get('/mc/it.html', Authorization => $editor);
ok t_cmp(($r->header('X-Cache') // '(none)') . ' ' . has_preview($r), qr/^MISS.* preview$/,
         'mod_cache: an editor still gets the preview, not the stored page');
$r = $h->get('/mc/it.html');
ok t_cmp(has_preview($r), 'no preview', 'mod_cache: readers still get their page');
ok t_cmp(bytes_diff($r->content, $mc_public), 'identical', 'mod_cache: the same bytes');

# 47-50: the same without Authorization: the preview's own headers keep it
# out of mod_cache
$r = $h->get('/intranet/it.html', 'X-Editor' => '1');
ok t_cmp(($r->header('X-Cache') // '(none)') . ' ' . has_preview($r), qr/^MISS.* preview$/,
         'mod_cache, no Authorization: the preview');
$r = $h->get('/intranet/it.html');
ok t_cmp(($r->header('X-Cache') // '(none)') . ' ' . has_preview($r), qr/^MISS.* no preview$/,
         'mod_cache, no Authorization: the preview was not stored');
$r = $h->get('/intranet/it.html');
ok t_cmp(($r->header('X-Cache') // '(none)') . ' ' . has_preview($r), qr/^HIT.* no preview$/,
         'mod_cache, no Authorization: the readers\' page was');
$r = $h->get('/intranet/it.html', 'X-Editor' => '1');
ok t_cmp(has_preview($r), 'preview', 'mod_cache, no Authorization: the editor still gets the preview');

$h->stop;
