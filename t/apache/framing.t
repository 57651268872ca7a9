# Framing, as httpd's own t/http11/clength.t checks it: with GeoTag On
# server-wide, a small static HTML page comes with a Content-Length equal
# to its body and no chunked Transfer-Encoding, over HTTP/1.1 and a
# kept-alive connection, as plain httpd sends it: (a) a page without an
# article, untagged, keeps its own length; (b) a small article, tagged,
# has the tagged length; a HEAD has the Content-Length of the GET.  The
# same pages from a backend behind mod_proxy (Content-Length and a strong
# ETag of their own), and a longer page without an article, which must
# keep its length too.
use strict;
use warnings FATAL => 'all';
use Apache::Test;
use Apache::TestUtil;
use IO::Select;
use IO::Socket::INET;
use lib 't/lib';
use GeotagServer qw(markup);
use GeotagHttpd;

plan tests => 25, need_module 'mod_geotag.c', need_module 'mod_proxy.c',
    need_module 'mod_proxy_http.c';

my $bigplain = "<!DOCTYPE html>\n<html lang=\"en\"><head><title>Offices</title></head>\n<body>"
    . ("<p>Write to the editors in Rome or in Paris.</p>\n" x 500) . "</body></html>\n";
my $h = GeotagHttpd->new;
my %pages = (
    'plain.html' => "<!DOCTYPE html>\n<html lang=\"en\"><head><title>Contacts</title></head>\n"
        . "<body><p>Write to the editors in Rome or in Paris.</p></body></html>\n",
    'big-plain.html' => $bigplain,
    'small.html' => "<!DOCTYPE html>\n<html lang=\"en\"><head><title>Brief</title></head>\n"
        . "<body><article><h1>Brief</h1><p>Vladimir Putin met Kim Jong Un in Pyongyang;"
        . " Russia and North Korea signed a pact.</p></article></body></html>\n",
);
mkdir $h->htdocs . '/off';
for my $name (keys %pages) {
    for my $file ($h->htdocs . "/$name", $h->htdocs . "/off/$name") {
        open my $fh, '>:raw', $file or die "$file: $!";
        print $fh $pages{$name};
        close $fh;
        utime time - 600, time - 600, $file or die "utime: $!";
    }
}
my $be = GeotagHttpd::Backend->start(sub {
    my $req = shift;
    my ($name) = $req->{path} =~ m{^/([a-z-]+\.html)$};
    return [404, ['Content-Type' => 'text/plain'], "not here\n"] unless $name && $pages{$name};
    return [200, ['Content-Type' => 'text/html', ETag => "\"$name-1\""], $pages{$name}];
});
$h->start(<<"CONF");
GeoTag On
ProxyPass /be/ http://127.0.0.1:@{[$be->port]}/
<Directory @{[$h->htdocs]}/off>
    GeoTag Off
</Directory>
CONF
my $port = $h->port;

# One request on a raw HTTP/1.1 connection that stays open (no
# Connection: close): the status, the headers (lower-cased), the body.
sub raw {
    my ($method, $path) = @_;
    my $sock = IO::Socket::INET->new(PeerAddr => '127.0.0.1', PeerPort => $port,
                                     Proto => 'tcp', Timeout => 10)
        or die "connect: $!";
    binmode $sock;
    print $sock "$method $path HTTP/1.1\r\nHost: 127.0.0.1:$port\r\n\r\n";
    my $sel = IO::Select->new($sock);
    my $raw = '';
    my $deadline = time + 15;
    my ($head, %h, $body);
    while (time < $deadline && $sel->can_read($deadline - time)) {
        my $n = sysread $sock, my $buf, 65536;
        last unless $n;
        $raw .= $buf;
        if (!defined $head && (my $end = index $raw, "\r\n\r\n") >= 0) {
            $head = substr $raw, 0, $end;
            $raw = substr $raw, $end + 4;
            for (split /\r\n/, $head) {
                my ($k, $v) = /^([^:]+):\s*(.*)$/ or next;
                $h{lc $k} = $v;
            }
        }
        next unless defined $head;
        last if $method eq 'HEAD';
        last if defined $h{'content-length'} && length $raw >= $h{'content-length'};
        last if ($h{'transfer-encoding'} // '') =~ /chunked/i && $raw =~ /(^|\r\n)0\r\n\r\n$/;
    }
    close $sock;
    die "no response to $method $path" unless defined $head;
    $body = $raw;
    if (($h{'transfer-encoding'} // '') =~ /chunked/i) {
        $body = '';
        while ($raw =~ s/\A([0-9a-fA-F]+)[^\r\n]*\r\n//) {
            my $n = hex $1;
            last if $n == 0;
            $body .= substr $raw, 0, $n;
            substr($raw, 0, $n + 2) = '';
        }
    }
    my ($status) = $head =~ /^(\S+ \d+)/;
    return { status => $status, h => \%h, body => $body };
}
sub framing {
    my $r = shift;
    return ($r->{h}{'transfer-encoding'} ? "Transfer-Encoding: $r->{h}{'transfer-encoding'}" : 'no Transfer-Encoding')
        . ', ' . (defined $r->{h}{'content-length'} ? "Content-Length: $r->{h}{'content-length'}" : 'no Content-Length');
}

# plain httpd (GeoTag Off), the premise
for my $name (sort keys %pages) {
    my $r = raw('GET', "/off/$name");
    ok t_cmp(framing($r), 'no Transfer-Encoding, Content-Length: ' . length $pages{$name},
             "GeoTag Off: $name has its Content-Length");
}

# (a) no article: untagged, its own length
{
    my $r = raw('GET', '/plain.html');
    t_debug 'plain.html: ' . ($r->{h}{'x-geotag-result'} // '-');
    ok t_cmp($r->{status}, 'HTTP/1.1 200', 'plain.html: 200');
    ok t_cmp($r->{body}, $pages{'plain.html'}, 'untagged, as it is');
    ok t_cmp($r->{h}{'transfer-encoding'} // 'none', 'none', 'not chunked');
    ok t_cmp($r->{h}{'content-length'} // 'none', length $pages{'plain.html'},
             'with a Content-Length: its own length');
    my $head = raw('HEAD', '/plain.html');
    ok t_cmp($head->{h}{'content-length'} // 'none', length $pages{'plain.html'},
             'HEAD: the same Content-Length');
}

# (b) a small article, tagged
{
    my $r = raw('GET', '/small.html');
    t_debug 'small.html: ' . ($r->{h}{'x-geotag-result'} // '-') . ', ' . framing($r);
    ok t_cmp($r->{status}, 'HTTP/1.1 200', 'small.html: 200');
    ok t_cmp(markup($r->{body}), 'tagged', 'tagged');
    ok t_cmp($r->{h}{'transfer-encoding'} // 'none', 'none', 'not chunked');
    ok t_cmp($r->{h}{'content-length'} // 'none', length $r->{body},
             'with a Content-Length: the tagged length');
    my $again = raw('GET', '/small.html');
    t_debug 'again: ' . ($again->{h}{'x-geotag-result'} // '-') . ', ' . framing($again);
    ok t_cmp(framing($again), 'no Transfer-Encoding, Content-Length: ' . length $r->{body},
             'the same from the cache');
    my $head = raw('HEAD', '/small.html');
    ok t_cmp($head->{h}{'content-length'} // 'none', length $r->{body},
             'HEAD: the Content-Length of the GET');
    ok t_cmp($head->{h}{'transfer-encoding'} // 'none', 'none', 'HEAD: not chunked');
}

# (c) a page without an article, longer (not in one read): its own length
{
    my $r = raw('GET', '/big-plain.html');
    ok t_cmp(framing($r) . ', ' . ($r->{body} eq $bigplain ? 'as it is' : 'changed'),
             'no Transfer-Encoding, Content-Length: ' . length($bigplain) . ', as it is',
             'big-plain.html: untagged, its own Content-Length');
}

# (d) the same pages through mod_proxy, from a backend that sends their
# Content-Length; each asked twice (the second from the cache), then HEAD
for my $name ('plain.html', 'big-plain.html', 'small.html') {
    my @r = map { raw('GET', "/be/$name") } 1, 2;
    my $head = raw('HEAD', "/be/$name");
    t_debug "/be/$name: " . join ' / ', map { ($_->{h}{'x-geotag-result'} // '-') . ', ' . framing($_) } @r, $head;
    my $len = length $r[0]{body};
    if ($name eq 'small.html') {
        ok t_cmp(markup($r[0]{body}), 'tagged', "proxied $name: tagged");
    }
    else {
        ok t_cmp($r[0]{body} eq $pages{$name} ? 'as it is' : 'changed', 'as it is',
                 "proxied $name: untagged, as the backend sent it");
    }
    ok t_cmp(join(' | ', map { framing($_) } @r), join(' | ', ("no Transfer-Encoding, Content-Length: $len") x 2),
             "proxied $name: a Content-Length equal to the body, not chunked (twice)");
    ok t_cmp(framing($head), "no Transfer-Encoding, Content-Length: $len",
             "proxied $name: HEAD has the Content-Length of the GET");
}
$h->stop;
$be->stop;
