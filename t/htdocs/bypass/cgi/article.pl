#!/usr/bin/perl
# An HTML article with no validator (no ETag, no Last-Modified): GEOTAG
# cannot cache it, so it is tagged on every request.  Query words:
#   notransform  the backend forbids transformations (Cache-Control)
#   etag         the backend sends its own strong validator
use strict;
use warnings;

my $q = $ENV{QUERY_STRING} // '';
print "Content-Type: text/html; charset=UTF-8\r\n";
print "Cache-Control: no-transform\r\n" if $q =~ /\bnotransform\b/;
print "ETag: \"cgi-article-1\"\r\n" if $q =~ /\betag\b/;
print "\r\n";
print <<'HTML';
<!DOCTYPE html>
<html lang="en">
<head><meta charset="UTF-8"><title>Generated article</title></head>
<body>
<article>
<h1>Ukraine and Russia</h1>
<p>Vladimir Putin and Volodymyr Zelensky did not meet; the United Nations and Turkey kept trying to broker talks about the grain from Ukraine.</p>
</article>
</body>
</html>
HTML
