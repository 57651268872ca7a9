#!/usr/bin/perl
# check.pl MODE ORIGINAL RESPONSE — what t/bench/run.sh checks on the bytes
# a benchmark cell returns; prints a short note, exits 1 on a failure.
#
#   tagged      RESPONSE carries mod_geotag markup and, with that markup
#               removed, is ORIGINAL byte for byte
#   proxyhtml   RESPONSE differs from ORIGINAL (mod_proxy_html really parsed
#               and re-serialized it) and the UTF-8 text survived
#   proxyhtml-example   one concrete difference, for the report
use strict;
use warnings;

my ($mode, $orig_file, $resp_file) = @ARGV;
die "usage: check.pl tagged|proxyhtml|proxyhtml-example ORIGINAL RESPONSE\n"
    unless defined $resp_file;
sub slurp {
    open my $fh, '<:raw', $_[0] or die "check.pl: $_[0]: $!\n";
    local $/;
    my $s = <$fh>;
    return defined $s ? $s : '';
}
my $orig = slurp($orig_file);
my $resp = slurp($resp_file);

# what mod_geotag inserts (the same patterns as t/engine/GeotagTest.pm)
sub unwrap {
    my ($html) = @_;
    my $n = 0;
    $html =~ s{<script type="application/ld\+json" id="geotag-jsonld" data-geotag="jsonld">[^<]*</script>}{}g;
    $n += $html =~ s{<span data-geotag="[A-Za-z]+ (?:Q[0-9]+|geotag-[a-z0-9-]+)"(?: itemscope itemtype="[^"]*" itemid="[^"]*")?>([^<]*)</span>}{$1}g;
    $n += $html =~ s{<data data-geotag="figure(?: percent| money)?" value="[0-9.]+">([^<]*)</data>}{$1}g;
    $n += $html =~ s{<time data-geotag="date" datetime="[0-9-]+">([^<]*)</time>}{$1}g;
    return ($html, $n);
}

if ($mode eq 'tagged') {
    my ($plain, $n) = unwrap($resp);
    my $jsonld = $resp =~ /id="geotag-jsonld"/ ? 'JSON-LD' : 'no JSON-LD';
    my $grew = length($resp) - length($orig);
    if ($n == 0) {
        print "no markup";
        exit 1;
    }
    if ($plain ne $orig) {
        my $i = 0;
        $i++ while $i < length($plain) && $i < length($orig)
            && substr($plain, $i, 1) eq substr($orig, $i, 1);
        print "$n mentions, but unwrapped differs at byte $i";
        exit 1;
    }
    print "$n mentions, $jsonld, +$grew bytes";
    exit 0;
}
if ($mode eq 'proxyhtml' || $mode eq 'proxyhtml-example') {
    my $refs_in = () = $orig =~ /&[a-zA-Z]+;/g;
    my $refs_out = () = $resp =~ /&[a-zA-Z]+;/g;
    my ($dt_in) = $orig =~ /^(<!DOCTYPE[^>]*>)/i;
    my ($dt_out) = $resp =~ /^(<!DOCTYPE[^>]*>)/i;
    my $utf8 = ($orig =~ /(Erdo\xc4\x9fan)/) ? ($resp =~ /Erdo\xc4\x9fan/ ? 1 : 0) : 1;
    my $mojibake = $resp =~ /\xc3\x84\xc2\x9f/ ? 1 : 0;    # ğ read as Latin-1
    if ($mode eq 'proxyhtml-example') {
        my $i = 0;
        $i++ while $i < length($resp) && $i < length($orig)
            && substr($resp, $i, 1) eq substr($orig, $i, 1);
        my $show = sub { my $s = substr($_[0], $i > 20 ? $i - 20 : 0, 60); $s =~ s/\n/\\n/g; $s };
        print "mod_proxy_html: first difference at byte $i: in  \"", $show->($orig),
              "\"\n                 out \"", $show->($resp), "\"\n";
        exit 0;
    }
    if ($resp eq $orig) {
        print "bytes unchanged: not transformed";
        exit 1;
    }
    printf "%d -> %d bytes, named character references %d -> %d, DOCTYPE %s -> %s%s",
        length $orig, length $resp, $refs_in, $refs_out, $dt_in || 'none', $dt_out || 'none',
        ($utf8 && !$mojibake) ? ', UTF-8 intact' : ', UTF-8 DAMAGED (mojibake)';
    exit(($utf8 && !$mojibake) ? 0 : 1);
}
die "check.pl: unknown mode $mode\n";
