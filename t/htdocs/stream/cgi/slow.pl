#!/usr/bin/perl
# stream.t: a slow backend.  Prints the head and the start of an article,
# sleeps (2 s, or ?pause=SECONDS), then the rest of the article and the
# closing tags.  Unbuffered, so each part leaves at once.
use strict;
use warnings;

$| = 1;
my ($pause) = ($ENV{QUERY_STRING} || '') =~ /(?:^|&)pause=([0-9.]+)/;
$pause = 2 unless defined $pause;
# ?etag=WORD: send a strong validator, which makes the result cacheable
my ($etag) = ($ENV{QUERY_STRING} || '') =~ /(?:^|&)etag=([A-Za-z0-9]+)/;

print "Content-Type: text/html; charset=utf-8\r\n";
print "ETag: \"$etag\"\r\n" if defined $etag;
print "\r\n";
print <<'HTML';
<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Grain and the Black Sea</title><link rel="canonical" href="https://example.org/s/"></head>
<body><main><article><h1>Grain and the Black Sea</h1>
<p>Russia and Turkey met in Ankara in July 2024 to discuss the grain corridor.</p>
HTML
select(undef, undef, undef, $pause);
print <<'HTML';
<p>Ukraine asked NATO for help; Vladimir Putin said no, and Recep Tayyip Erdoğan offered to mediate between Moscow and Kyiv.</p>
</article></main></body></html>
HTML
