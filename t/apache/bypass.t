# GEOTAG steps aside, bytes untouched, where it must not or need not tag:
# non-HTML types, error responses, compressed bodies, no-transform, the
# no-geotag env, subrequests, and pages that say no (opt-out meta, already
# tagged, a listing).  Each body is compared byte for byte with the file.
use strict;
use warnings FATAL => 'all';
use Apache::Test;
use Apache::TestRequest;
use Apache::TestUtil;
use File::Spec::Functions qw(catfile);
use IO::Compress::Gzip qw(gzip $GzipError);
use lib 't/lib';
use GeotagServer qw(slurp disk bytes_diff result_of probe probe_outcome write_fixture);

# "Header set Cache-Control no-transform" in a <Location> is applied by
# mod_headers' output filter, after GEOTAG decided: docs/directives.md says
# to use "Header set ... early" (tested here) or the no-geotag env.
plan tests => 33,
    need_module 'mod_geotag.c', 'headers', 'include', 'setenvif', 'mime',
    need_cgi;

my $logs = Apache::Test::vars('t_logs');

# Bodies are summarized for t_cmp: whole pages make unreadable diagnostics.
# Broader than GeotagServer's markup: any data-geotag but "off" (the JSON-LD
# script too), not only an inline mention.
sub markup { $_[0] =~ /data-geotag="(?!off")/ ? 'tagged' : 'untagged' }

my $sample = disk('samples/en-analysis.html');

# 1-3: text/plain under GeoTag On
{
    my $r = GET '/bypass/data.txt';
    ok t_cmp($r->code, 200, 'a .txt under GeoTag On is served');
    ok t_cmp(bytes_diff($r->content, disk('bypass/data.txt')), 'identical',
             'the .txt body is the file');
    ok t_cmp(result_of($r), 'bypass:type', 'the filter stepped aside: type');
}

# 4-5: text/css under GeoTag On
{
    my $r = GET '/tagged/samples/sample.css';
    ok t_cmp(bytes_diff($r->content, disk('samples/sample.css')), 'identical',
             'the .css body is the file');
    ok t_cmp(result_of($r), 'bypass:type', 'the .css: bypass:type');
}

# 6-9: a 404 whose ErrorDocument is an HTML page under GeoTag On (it names
# Putin, Russia, Ukraine: tagging it would show)
{
    my $r = GET '/bypass/no-such-article.html';
    ok t_cmp($r->code, 404, 'a missing page is a 404');
    ok t_cmp(markup($r->content), 'untagged', 'the error page is not tagged');
    ok t_cmp(bytes_diff($r->content, disk('bypass/error404.html')), 'identical',
             'the error page is the ErrorDocument file, untouched');
    ok t_cmp(result_of($r), 'bypass:status', 'the error page: bypass:status');
}

# 10-14: a gzip-encoded page (AddEncoding x-gzip .gz): the compressed bytes
# go out as they are, with one GT012 info line suggesting INFLATE
{
    my $name = "page-$$.html.gz";
    my $gz;
    gzip(\$sample => \$gz) or die "gzip: $GzipError";
    write_fixture("bypass/gz/$name", $gz);
    my $uri = "/bypass/gz/$name";
    my $r = GET $uri;
    ok t_cmp($r->code, 200, 'the gzip page is served');
    ok t_cmp($r->header('Content-Encoding') // '', 'x-gzip', 'as x-gzip');
    ok t_cmp(bytes_diff($r->content, $gz), 'identical',
             'the body is the gzip file, byte for byte');
    ok t_cmp(result_of($r), 'bypass:encoding', 'the gzip page: bypass:encoding');
    my $log = slurp(catfile($logs, 'error_log'));
    my @gt012 = $log =~ /^(.*GT012: \Q$uri\E is compressed.*INFLATE.*)$/mg;
    ok t_cmp(scalar(@gt012), 1, 'one GT012 line in the error log suggests INFLATE');
}

# 15-19: Cache-Control: no-transform
write_fixture('bypass/notransform/page.html', $sample);
{
    # set before the handler (Header ... early, in a vhost)
    my $url = Apache::TestRequest::module2url('geotag_notransform',
                                              { path => '/bypass/notransform/page.html' });
    Apache::TestRequest::module('default');    # module2url switched to the vhost
    my $r = GET $url;
    ok t_cmp($r->header('Cache-Control') // '', qr/no-transform/,
             'the vhost sets Cache-Control: no-transform');
    ok t_cmp(bytes_diff($r->content, $sample), 'identical',
             'a no-transform page is untouched');
    ok t_cmp(result_of($r), 'bypass:no-transform', 'no-transform: bypass:no-transform');
}
{
    # a CGI's Cache-Control lands in r->err_headers_out
    # (httpd's ap_scan_script_header_err*): it counts too
    my $id = probe('bypass');
    my $r = GET '/bypass-cgi/article.pl?notransform', 'X-GT-Probe' => $id;
    ok t_cmp(probe_outcome($id, '/bypass-cgi/article.pl?notransform') . ' '
             . markup($r->content), 'bypass:no-transform untagged',
             'a CGI that says Cache-Control: no-transform is not tagged');
}

# 20-21: the no-geotag env (SetEnvIf Request_URI "nogeotag")
write_fixture('bypass/nogeotag.html', $sample);
{
    my $r = GET '/bypass/nogeotag.html';
    ok t_cmp(bytes_diff($r->content, $sample), 'identical',
             'a page with env no-geotag is untouched');
    ok t_cmp(result_of($r), 'bypass:no-geotag', 'env no-geotag: bypass:no-geotag');
}

# 22-24: a subrequest: SSI (GeoTag Off) includes a page under GeoTag On;
# the included bytes come through as they are on disk
{
    my $r = GET '/bypass/ssi/page.shtml';
    ok t_cmp($r->code, 200, 'the SSI page is served');
    my $included = disk('samples/it-analisi.html');
    (my $want = disk('bypass/ssi/page.shtml'))
        =~ s{<!--#include virtual="/tagged/samples/it-analisi.html" -->}{$included}
        or die 'page.shtml lost its include';
    ok t_cmp(bytes_diff($r->content, $want), 'identical',
             'the included tagged page comes through untagged');
    ok t_cmp(markup($r->content), 'untagged', 'no geotag markup in the SSI page');
}

# 25-27: <meta name="geotag" content="off">
{
    my $r = GET '/bypass/optout.html';
    ok t_cmp(bytes_diff($r->content, disk('bypass/optout.html')), 'identical',
             'an opted-out page is untouched');
    ok t_cmp(result_of($r), 'page:opted-out', 'the page opted out: page:opted-out');
    my $again = GET '/bypass/optout.html';
    ok t_cmp(bytes_diff($again->content, disk('bypass/optout.html')), 'identical',
             'and so is its repeat (outcome ' . result_of($again) . ')');
}

# 28-30: a page that is already tagged (our own output) is left as it is
{
    my $tagged = GET_BODY '/tagged/samples/en-analysis.html';
    ok t_cmp($tagged =~ /id="geotag-jsonld"/ ? 'tagged' : 'untagged', 'tagged',
             'the fixture is a tagged page');
    write_fixture('bypass/already.html', $tagged);
    my $r = GET '/bypass/already.html';
    ok t_cmp(bytes_diff($r->content, $tagged), 'identical',
             'an already tagged page is not tagged twice');
    ok t_cmp(result_of($r), 'page:already-tagged', 'page:already-tagged');
}

# 31-32: a listing (several top-level articles); the query string makes
# the cache key fresh whatever ran before
{
    my $r = GET "/tagged/samples/index.html?bypass=$$";
    ok t_cmp(bytes_diff($r->content, disk('samples/index.html')), 'identical',
             'a listing is untouched');
    ok t_cmp(result_of($r), 'page:listing', 'the listing: page:listing');
}

# 33-34: and an article next to them is tagged (the fixtures are not broken)
{
    my $r = GET '/bypass-cgi/article.pl';
    ok t_cmp($r->content =~ m{<span data-geotag="Person Q7747">Vladimir Putin</span>}
             ? 'tagged' : 'untagged', 'tagged',
             'the CGI article is tagged without no-transform');
    my $plain = GET '/samples/en-analysis.html';
    ok t_cmp(bytes_diff($plain->content, $sample), 'identical',
             'outside GeoTag On the sample is the file');
}
