#!/usr/bin/perl
# An article whose backend stalls half way (longer than the proxy's
# timeout), with a strong validator.  Behind mod_proxy the response ends in
# an ERROR bucket; GEOTAG must never cache such a result.
use strict;
use warnings;

$| = 1;
my $q = $ENV{QUERY_STRING} // 'x';
my $body = <<'HTML';
<!DOCTYPE html>
<html lang="en">
<head><meta charset="UTF-8"><title>Cut short</title>
<link rel="canonical" href="https://example.org/broken/"></head>
<body>
<article>
<h1>Russia and China</h1>
<p>Vladimir Putin met Xi Jinping in Beijing, and the United Nations
HTML
print "Content-Type: text/html; charset=UTF-8\r\n";
print "ETag: \"broken-$q\"\r\n";
print "\r\n";
print $body;
sleep 4;
print "and Turkey.</p></article></body></html>\n";
exit 0;
