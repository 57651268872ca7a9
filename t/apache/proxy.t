# GEOTAG in a reverse proxy: /stream/rp/ proxies this same server's
# /samples/ (through 127.0.0.1) under GeoTag On, /stream/rp-gz/ its
# /stream/gz/ (gzip files, Content-Encoding: gzip) without INFLATE.
# (t/conf/stream.conf.in)
use strict;
use warnings FATAL => 'all';
use Apache::Test;
use Apache::TestRequest;
use Apache::TestUtil;
use IO::Compress::Gzip qw(gzip $GzipError);
use IO::Select;
use IO::Socket::INET;
use lib 't/engine';
use GeotagTest qw(slurp);
use lib 't/lib';
use GeotagServer qw(nth_outcome write_fixture);

plan tests => 17, need_module 'mod_geotag.c', need_module 'mod_proxy.c',
    need_module 'mod_proxy_http.c';

my $port = Apache::Test::vars('port');
my $hostport = Apache::TestRequest::hostport();

# GET on a raw socket (HTTP/1.1, Connection: close): the status line, the
# headers (lower-cased names, a repeated one joined with ", "), the body as
# sent (chunked or not) and, decoded, the body.  Lets the test see a
# Content-Length that does not match the body, which LWP would hide.
sub raw_get {
    my ($path, @extra) = @_;
    my $sock = IO::Socket::INET->new(PeerAddr => '127.0.0.1', PeerPort => $port,
                                     Proto => 'tcp', Timeout => 10)
        or die "connect 127.0.0.1:$port: $!";
    print $sock "GET $path HTTP/1.1\r\nHost: $hostport\r\nConnection: close\r\n",
        (map { "$_\r\n" } @extra), "\r\n";
    my $sel = IO::Select->new($sock);
    my $raw = '';
    my $deadline = time + 30;
    while (time < $deadline && $sel->can_read($deadline - time)) {
        my $n = sysread $sock, my $buf, 65536;
        last unless $n;
        $raw .= $buf;
    }
    close $sock;
    my $head_end = index $raw, "\r\n\r\n";
    die "no response header from $path" if $head_end < 0;
    my ($status, @lines) = split /\r\n/, substr($raw, 0, $head_end);
    my %h;
    for (@lines) {
        my ($k, $v) = /^([^:]+):\s*(.*)$/ or next;
        $h{lc $k} = exists $h{lc $k} ? "$h{lc $k}, $v" : $v;
    }
    my $wire = substr $raw, $head_end + 4;
    my $body = $wire;
    if (($h{'transfer-encoding'} // '') =~ /chunked/i) {
        $body = '';
        my $rest = $wire;
        while ($rest =~ s/\A([0-9a-fA-F]+)[^\r\n]*\r\n//) {
            my $n = hex $1;
            last if $n == 0;
            $body .= substr $rest, 0, $n;
            substr($rest, 0, $n + 2) = '';
        }
    }
    return { status => $status, headers => \%h, wire => $wire, body => $body };
}

my $run = '?run=' . time;
my $direct = GET "/tagged/samples/it-analisi.html$run";
ok t_cmp($direct->code, 200, 'the direct tagged page (reference)');

my $first = raw_get("/stream/rp/it-analisi.html$run");
ok t_cmp($first->{status}, qr{^HTTP/1\.1 200}, 'through the proxy: 200');
ok t_cmp(nth_outcome("/stream/rp/it-analisi.html$run", 1), qr/^200 (miss|uncached:[a-z-]+) [1-9][0-9]*$/,
         'GEOTAG tagged the proxied response (logged)');
ok t_cmp($first->{body}, qr{<span data-geotag="Country Q212">Ucraina</span>}, 'with markup');
ok $first->{body} eq $direct->content;
t_debug 'the proxied page is byte for byte the directly tagged one ('
    . length($first->{body}) . ' / ' . length($direct->content) . ' bytes)';

# the backend's Content-Length (of the untagged page) must not survive
my $cl = $first->{headers}{'content-length'};
my $te = $first->{headers}{'transfer-encoding'} // '';
t_debug 'framing: ' . (defined $cl ? "Content-Length: $cl" : '') . ($te ? "Transfer-Encoding: $te" : '');
ok t_cmp(defined $cl ? $cl : length $first->{body}, length $first->{body},
         'a Content-Length, if any, is that of the tagged body');
ok t_cmp(defined $cl ? length $first->{wire} : length $first->{body}, length $first->{body},
         'and the body on the wire is exactly that long');
ok t_cmp(defined $cl || $te =~ /chunked/i ? 1 : 0, 1, 'the body is framed (Content-Length or chunked)');

my $direct_etag = $direct->header('ETag') // '';
my $proxy_etag = $first->{headers}{etag} // '';
t_debug "ETags: direct $direct_etag, proxied $proxy_etag"
    . ($direct_etag eq $proxy_etag ? ' (the same)' : ' (they differ)');
ok t_cmp($proxy_etag, qr{-gt[0-9a-f]{8}"$}, 'the proxied tagged page has a tagged ETag');

my $second = raw_get("/stream/rp/it-analisi.html$run");
ok t_cmp(nth_outcome("/stream/rp/it-analisi.html$run", 2), qr/^200 hit [1-9][0-9]*$/,
         'the repeat through the proxy is a cache hit');
ok $second->{body} eq $first->{body};
t_debug 'with the same bytes';

# A Range request.  GEOTAG removes Range when it knows the response will be
# HTML before the handler runs (mod_mime types the proxy URL .html): the
# backend sends the whole page and the client gets the tagged page, 200.
# Otherwise the backend's 206 of untagged bytes passes untouched (GEOTAG
# steps aside), acceptable as long as it does not claim to be part of the
# tagged page (its ETag).
my $untagged = slurp('t/htdocs/samples/it-analisi.html');
my $range = raw_get("/stream/rp/it-analisi.html$run", 'Range: bytes=100-199');
my $rcode = ($range->{status} =~ /^HTTP\/1\.1 ([0-9]+)/)[0] // 0;
t_debug "Range through the proxy: $rcode, X-GeoTag-Result "
    . ($range->{headers}{'x-geotag-result'} // '-');
if ($rcode == 206) {
    ok t_cmp($range->{body}, substr($untagged, 100, 100), '206: the backend\'s untagged bytes');
    ok t_cmp($range->{headers}{etag} // '', qr{^(?!.*-gt[0-9a-f]{8}")}, '206: not under the tagged ETag');
}
else {
    ok t_cmp($rcode, 200, 'Range answered with the full page');
    ok $range->{body} eq $first->{body};
    t_debug 'the whole tagged page';
}

# a gzip backend response without INFLATE: passed through untouched
my $page = $untagged;
gzip \$page => \my $gz, Minimal => 1 or die "gzip: $GzipError";
write_fixture('stream/gz/proxied.html.gz', $gz);
my $z = raw_get("/stream/rp-gz/proxied.html.gz$run", 'Accept-Encoding: gzip');
ok t_cmp($z->{status}, qr{^HTTP/1\.1 200}, 'gzip backend through the proxy: 200');
ok t_cmp($z->{headers}{'x-geotag-result'} // '', 'bypass:encoding', 'GEOTAG steps aside');
ok t_cmp($z->{headers}{'content-encoding'} // '', 'gzip', 'Content-Encoding: gzip kept');
ok $z->{body} eq $gz;
t_debug 'the gzip bytes arrive as the backend sent them';
