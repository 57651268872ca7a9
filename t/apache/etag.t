# Validators of tagged responses: the tagged representation has its own
# ETag (the source's with a -gt suffix), conditional requests with it get
# a 304 carrying it, the source's ETag does not validate the tagged page,
# HEAD tells what GET sends, Last-Modified and Content-Length are right.
use strict;
use warnings FATAL => 'all';
use Apache::Test;
use Apache::TestRequest;
use Apache::TestUtil;
use File::Spec::Functions qw(catfile);
use HTTP::Date qw(str2time);
use lib 't/lib';
use GeotagServer qw(markup);

plan tests => 22,
    need_module 'mod_geotag.c', 'proxy', 'proxy_http', need_cgi;

my $docroot = Apache::Test::vars('documentroot');
my $tagged_url = '/tagged/samples/it-analisi.html';
my $file = catfile($docroot, 'samples', 'it-analisi.html');

# 1-4: two representations, two ETags
my $plain = GET '/samples/it-analisi.html';
my $untagged_etag = $plain->header('ETag') // '';
ok t_cmp($untagged_etag, qr/^"[^"]+"$/, 'the untagged page has a strong ETag');

my $get = GET $tagged_url;
my $tagged_etag = $get->header('ETag') // '';
ok t_cmp(markup($get->content), 'tagged', 'the page under GeoTag On is tagged');
(my $base = $untagged_etag) =~ s/"$//;
ok t_cmp($tagged_etag, qr/^\Q$base\E-gt[0-9a-f]{8}"$/,
         'its ETag is the source\'s with the -gt suffix');
ok t_cmp((GET $tagged_url)->header('ETag') // '', $tagged_etag,
         'and the same on the next request');

# 5-9: conditional GETs
{
    my $r = GET $tagged_url, 'If-None-Match' => $tagged_etag;
    ok t_cmp($r->code, 304, 'If-None-Match with the tagged ETag: 304');
    ok t_cmp($r->header('ETag') // '(none)', $tagged_etag,
             'the 304 carries the tagged ETag');
}
{
    # The handler compares If-None-Match with the file's own ETag, the
    # untagged one: unless GEOTAG takes foreign ETags out, a client holding
    # the untagged page is told (304) that it is current.
    my $r = GET $tagged_url, 'If-None-Match' => $untagged_etag;
    ok t_cmp($r->code . ' ' . ($r->header('ETag') // '(no ETag)'), "200 $tagged_etag",
             'If-None-Match with the untagged ETag: a 200 of the tagged page');
}
{
    my $r = GET $tagged_url, 'If-None-Match' => "W/$tagged_etag";
    ok t_cmp($r->code, 304, 'If-None-Match with the weak form of the tagged ETag: 304');
    my $list = GET $tagged_url, 'If-None-Match' => qq{"something-else", $tagged_etag};
    ok t_cmp($list->code, 304, 'If-None-Match with a list holding the tagged ETag: 304');
}

# 10-12: HEAD says what GET sends
{
    my $head = HEAD $tagged_url;
    ok t_cmp($head->code, 200, 'HEAD on a tagged page: 200');
    ok t_cmp($head->header('ETag') // '(none)', $tagged_etag, 'with the GET\'s ETag');
    my $cl = $head->header('Content-Length');
    ok t_cmp(defined $cl ? $cl : length $get->content, length $get->content,
             'and no Content-Length, or the length GET sends');
}

# 13-14: Last-Modified
{
    my $lm = $get->header('Last-Modified');
    ok t_cmp(defined $lm && defined str2time($lm) ? 'a date' : $lm // '(none)', 'a date',
             'a tagged page has a Last-Modified');
    my $mtime = (stat $file)[9];
    my $lm_time = str2time($lm // '') // 0;
    ok t_cmp($lm_time >= $mtime ? 'not older' : 'older', 'not older',
             "Last-Modified ($lm_time) is not older than the file ($mtime)");
}

# 15-16: Content-Length, when there is one, is what arrives
ok t_cmp($get->header('Content-Length') // length $get->content, length $get->content,
         'a static tagged page: no Content-Length, or the body\'s length');
{
    my $r = GET '/proxied/it-analisi.html';
    t_debug('proxied Content-Length: ' . ($r->header('Content-Length') // '(none)'));
    ok t_cmp(markup($r->content) . ' ' . ($r->header('Content-Length') // length $r->content),
             'tagged ' . length $r->content,
             'a proxied tagged page: no Content-Length, or the body\'s length');
}

# 17-19: a CGI with its own ETag
{
    my $r = GET '/bypass-cgi/article.pl?etag';
    ok t_cmp(markup($r->content), 'tagged', 'the CGI article is tagged');
    my $etag = $r->header('ETag') // '(none)';
    ok t_cmp($etag ne '"cgi-article-1"' ? 'its own' : 'the CGI\'s', 'its own',
             "the tagged CGI page does not carry the CGI's ETag (got $etag)");
    ok t_cmp($etag, qr/^"cgi-article-1-gt[0-9a-f]{8}"$|^\(none\)$/,
             'it carries the tagged form of it, or none');
}

# 20-22: If-Modified-Since
{
    my $lm = $get->header('Last-Modified') // '';
    # With If-None-Match present, If-Modified-Since is ignored (RFC 9110
    # 13.1.3): taking the untagged ETag out must not let it decide.
    my $both = GET $tagged_url, 'If-None-Match' => $untagged_etag,
                   'If-Modified-Since' => $lm;
    ok t_cmp($both->code . ' ' . ($both->header('ETag') // '(no ETag)'), "200 $tagged_etag",
             'If-None-Match with the untagged ETag and If-Modified-Since: a 200');

    my $ims = GET $tagged_url, 'If-Modified-Since' => $lm;
    ok t_cmp($ims->code, 304, 'If-Modified-Since with the Last-Modified: 304');
    # a 304 answered from If-Modified-Since describes the tagged
    # representation too (RFC 9110 15.4.5)
    ok t_cmp($ims->header('ETag') // '(no ETag)', $tagged_etag,
             'and the 304 carries the tagged ETag');
}
