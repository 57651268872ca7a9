#!/usr/bin/perl
# stream.t: a backend that writes a page of t/htdocs/stream/ in pieces.
#   chunks.pl?file=NAME.html&piece=BYTES&sleep=SECONDS[&etag=WORD]
# (etag: send a strong validator, which makes the result cacheable)
# Unbuffered: each piece leaves at once, then the script sleeps.
use strict;
use warnings;

$| = 1;
my %q = map { split /=/, $_, 2 } grep { /=/ } split /&/, $ENV{QUERY_STRING} || '';
my $file = $q{file} || '';
my $piece = $q{piece} && $q{piece} =~ /^[0-9]+$/ ? $q{piece} : 65536;
my $sleep = defined $q{sleep} && $q{sleep} =~ /^[0-9.]+$/ ? $q{sleep} : 0;
my $path = "$ENV{DOCUMENT_ROOT}/stream/$file";

if ($file !~ /^[a-z0-9-]+\.html$/ || !open(my $fh, '<:raw', $path)) {
    print "Status: 404 Not Found\r\nContent-Type: text/plain\r\n\r\nno such page\n";
    exit 0;
}
else {
    local $/;
    my $page = <$fh>;
    binmode STDOUT;
    print "Content-Type: text/html; charset=utf-8\r\n";
    print "ETag: \"$q{etag}\"\r\n" if defined $q{etag} && $q{etag} =~ /^[A-Za-z0-9]+$/;
    print "\r\n";
    for (my $at = 0; $at < length $page; $at += $piece) {
        select(undef, undef, undef, $sleep) if $at && $sleep;
        print substr($page, $at, $piece);
    }
}
