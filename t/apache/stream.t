# GEOTAG streams: what the engine has made final reaches the client while a
# slow backend is still writing, and the finished page is the one the
# geotag command makes of the same bytes.  Read on a raw socket, with the
# arrival time of every read.
use strict;
use warnings FATAL => 'all';
use Apache::Test;
use Apache::TestRequest;
use Apache::TestUtil;
use IO::Select;
use IO::Socket::INET;
use Time::HiRes qw(time);
use lib 't/engine';
use GeotagTest qw(geotag unwrap);
use lib 't/lib';
use GeotagServer qw(nth_outcome);

plan tests => 28, need_module 'mod_geotag.c', need_module 'mod_cgid.c';

my $port = Apache::Test::vars('port');
my $hostport = Apache::TestRequest::hostport();

# GET $path on a raw socket (HTTP/1.1, Connection: close).  Returns the
# status line, the headers (lower-cased names), the decoded body, and
# body_at($t): the body bytes that had arrived $t seconds after the request.
sub timed_get {
    my ($path, $limit) = @_;
    my $sock = IO::Socket::INET->new(PeerAddr => '127.0.0.1', PeerPort => $port,
                                     Proto => 'tcp', Timeout => 10)
        or die "connect 127.0.0.1:$port: $!";
    my $t0 = time;
    print $sock "GET $path HTTP/1.1\r\nHost: $hostport\r\nConnection: close\r\n\r\n";
    my $sel = IO::Select->new($sock);
    my (@reads, $raw);
    $raw = '';
    my $deadline = $t0 + ($limit || 30);
    while ((my $left = $deadline - time) > 0) {
        last unless $sel->can_read($left);
        my $n = sysread $sock, my $buf, 65536;
        last unless $n;
        $raw .= $buf;
        push @reads, [time - $t0, length $raw];
    }
    my $end = time - $t0;
    close $sock;
    my $head_end = index($raw, "\r\n\r\n");
    die "no response header from $path" if $head_end < 0;
    my ($status, @lines) = split /\r\n/, substr($raw, 0, $head_end);
    my %h;
    for (@lines) {
        my ($k, $v) = /^([^:]+):\s*(.*)$/ or next;
        $h{lc $k} = $v;
    }
    my $chunked = ($h{'transfer-encoding'} || '') =~ /chunked/i;
    my $decode = sub {
        my ($wire) = @_;
        return $wire unless $chunked;
        my $out = '';
        while ($wire =~ s/\A([0-9a-fA-F]+)[^\r\n]*\r\n//) {
            my $n = hex $1;
            last if $n == 0;
            $out .= substr($wire, 0, $n);     # a partial chunk counts too
            last if length $wire < $n + 2;
            substr($wire, 0, $n + 2) = '';
        }
        return $out;
    };
    my $body_start = $head_end + 4;
    my $first_body;
    for (@reads) {
        if ($_->[1] > $body_start) { $first_body = $_->[0]; last }
    }
    my %r = (
        status => $status, headers => \%h, end => $end, first_body => $first_body,
        body => $decode->(substr($raw, $body_start)), reads => scalar @reads,
        body_at => sub {
            my ($t) = @_;
            my $have = 0;
            for (@reads) { $have = $_->[1] if $_->[0] <= $t }
            return $have > $body_start ? $decode->(substr($raw, $body_start, $have - $body_start)) : '';
        },
    );
    return \%r;
}

# -- a backend that pauses 2 s in the middle of the article ---------------

my $raw = GET_BODY '/stream/raw/slow.pl?pause=0';
ok t_cmp($raw, qr{<p>Russia and Turkey.*Kyiv\.</p>}s,
         'the untagged backend page (reference for the engine)');
my ($expected) = geotag($raw);

my $slow = '/stream/cgi/slow.pl?n=' . time;
my $r = timed_get($slow);
ok t_cmp($r->{status}, qr{^HTTP/1\.1 200}, 'the slow page is served');
ok t_cmp(nth_outcome($slow), qr{^200 uncached:validator [1-9][0-9]* *$},
         'logged: tagged, without a validator (uncached:validator)');
ok t_cmp($r->{end} >= 1.9 ? 1 : 0, 1,
         sprintf('the backend did pause (response ended after %.2f s)', $r->{end}));
ok t_cmp(defined $r->{first_body} && $r->{first_body} < 1.5 ? 1 : 0, 1,
         sprintf('the first body bytes arrived %s s after the request, before the pause ended',
                 defined $r->{first_body} ? sprintf('%.2f', $r->{first_body}) : 'never'));
my $early = $r->{body_at}->(1.5);
ok t_cmp($early, qr{\A<!DOCTYPE html><html lang="en"><head>.*</head>}s,
         'the head had arrived within 1.5 s');
ok t_cmp(substr($r->{body}, 0, length $early), $early,
         'what came early is the start of the final page (nothing sent is taken back)');
t_debug 'edits inside <main> are held back until </main> (listing check): '
      . (index($early, 'Russia') >= 0 ? 'the first paragraph came early' : 'the first paragraph came after the pause');
ok t_cmp($r->{body}, qr{<span data-geotag="Country Q159">Russia</span>},
         'first half tagged');
ok t_cmp($r->{body}, qr{<span data-geotag="Country Q212">Kyiv</span>\.</p>},
         'second half tagged');
ok t_cmp($r->{body}, qr{<script type="application/ld\+json" id="geotag-jsonld" data-geotag="jsonld">\{.*entity/Q159".*entity/Q7747".*\}</script></body></html>}s,
         'the JSON-LD names entities of both halves, before </body>');
ok $r->{body} eq $expected;
t_debug 'the streamed page is byte for byte what geotag makes of the backend page';
ok t_cmp(unwrap($r->{body}), $raw, 'unwrapping the markup gives the backend page');

# -- the same backend with a strong ETag: the result is cached; the repeat
#    (a hit: stored edits replayed over the backend's bytes) must stream too

my $cached = '/stream/cgi/slow.pl?etag=s' . int(time * 1000);
my $m = timed_get($cached);
ok t_cmp(nth_outcome($cached, 1), qr{^200 miss [1-9][0-9]*$}, 'with an ETag: a miss, stored');
ok $m->{body} eq $expected;
t_debug 'the same page';
my $h = timed_get($cached);
ok t_cmp(nth_outcome($cached, 2), qr{^200 hit [1-9][0-9]*$}, 'the repeat is a cache hit');
ok $h->{body} eq $expected;
t_debug 'the hit gives the same page';
# A hit reads a slow backend as a miss does: non-blocking first, passing
# what it has (with a FLUSH) before it waits.
ok t_cmp(defined $h->{first_body} && $h->{first_body} < 1.5 ? 1 : 0, 1,
         sprintf('the hit streams too: first body bytes after %s s (the backend pauses 2 s)',
                 defined $h->{first_body} ? sprintf('%.2f', $h->{first_body}) : 'never'));

# -- a 1 MB page written in 64 KB pieces, 0.1 s apart ---------------------

# Mostly plain text: the engine marks up at most 2000 mentions a page
# (then leaves the rest untouched, page:limit), so names come every 120
# paragraphs (about 1000 mentions in all).
my $names = '<p>Russia and Turkey met in Ankara in July 2024; Ukraine asked NATO for help.</p>' . "\n"
          . '<p>Vladimir Putin and Recep Tayyip Erdoğan spoke about the grain corridor.</p>' . "\n";
my $plain = '<p>Plain words without any name at all, only to make the page long enough.</p>' . "\n";
my $page = qq{<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Big</title>}
         . qq{<link rel="canonical" href="https://example.org/big/"></head>\n<body><main><article>\n};
my $n = 0;
while (length($page) < 1024 * 1024) {
    $page .= $n++ % 120 ? $plain : "<h2>Part $n</h2>\n$names";
}
$page .= "</article></main></body></html>\n";
t_write_file('t/htdocs/stream/big.html', $page);
my ($big_expected, $err, $rc) = geotag($page, '--status');
t_debug "geotag on the 1 MB page: $err";

my $big_url = '/stream/cgi/chunks.pl?file=big.html&piece=65536&sleep=0.1&etag=b' . int(time * 1000);
my $big = timed_get($big_url, 60);
my $pieces = int((length($page) + 65535) / 65536);
ok t_cmp($big->{status}, qr{^HTTP/1\.1 200}, q{1 MB page served});
ok t_cmp($big->{end} >= 0.1 * ($pieces - 1) - 0.05 ? 1 : 0, 1,
         sprintf('%d pieces, 0.1 s apart: the response took %.2f s', $pieces, $big->{end}));
ok t_cmp(defined $big->{first_body} && $big->{first_body} < 0.8 ? 1 : 0, 1,
         sprintf('its first body bytes came after %s s',
                 defined $big->{first_body} ? sprintf('%.2f', $big->{first_body}) : 'never'));
my $half = length $big->{body_at}->($big->{end} / 2);
ok t_cmp($half >= length($big_expected) / 4 ? 1 : 0, 1,
         "halfway through, $half of " . length($big_expected) . ' bytes had arrived');
ok t_cmp(length $big->{body}, length $big_expected, 'the whole body arrived');
my ($tail) = $big->{body} =~ m{(</article>(?:(?!</article>).)*)\z}s;
ok t_cmp($tail // '', qr{\A</article></main><script type="application/ld\+json" id="geotag-jsonld" data-geotag="jsonld">[^<]+</script></body></html>\n\z},
         'up to its last byte, the JSON-LD before </body>');
ok $big->{body} eq $big_expected;
t_debug 'byte for byte what geotag makes of the page';
ok t_cmp(nth_outcome($big_url, 1), qr{^200 miss [1-9][0-9]{2,}$},
         'logged: tagged whole (no engine limit reached: miss, stored), hundreds of mentions');
ok t_cmp(unwrap($big->{body}) eq $page ? 1 : 0, 1, 'unwrapping gives the page back');

my $big_hit = timed_get($big_url, 60);
ok t_cmp(nth_outcome($big_url, 2), qr{^200 hit [1-9][0-9]{2,}$}, 'the 1 MB page again: a cache hit');
ok $big_hit->{body} eq $big_expected;
t_debug sprintf 'the same bytes (first body bytes after %s s)',
    defined $big_hit->{first_body} ? sprintf('%.2f', $big_hit->{first_body}) : 'never';
