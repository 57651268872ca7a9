#!/usr/bin/perl
# slowcgi.pl — a CGI that streams the page named by $BENCH_SLOW_PAGE (set
# with SetEnv by t/bench/run.sh) slowly: 16 KB pieces, 20 ms apart, each
# written at once (unbuffered), like an application that renders as it goes.
# The time to the first byte then shows whether a filter holds the response.
use strict;
use warnings;

my $page = $ENV{BENCH_SLOW_PAGE} || '';
my $piece = $ENV{BENCH_SLOW_PIECE} || 16384;
my $pause = defined $ENV{BENCH_SLOW_PAUSE} ? $ENV{BENCH_SLOW_PAUSE} : 0.02;
binmode STDOUT;
$| = 1;
open my $in, '<:raw', $page or do {
    print "Status: 500\r\nContent-Type: text/plain\r\n\r\ncannot read BENCH_SLOW_PAGE ($page)\n";
    exit 0;
};
print "Content-Type: text/html; charset=UTF-8\r\n\r\n";
my $first = 1;
while (read($in, my $buf, $piece)) {
    select(undef, undef, undef, $pause) unless $first;
    $first = 0;
    print $buf;
}
close $in;
