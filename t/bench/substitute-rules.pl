#!/usr/bin/perl
# substitute-rules.pl GAZETTEER N — N mod_substitute rules, one per name,
# the way a site would mark names up without mod_geotag:
#
#   Substitute "s|\bName\b|<span>Name</span>|"
#
# (regular expressions, not the n flag: with n the pattern is a fixed string
# and \b would be matched literally).  The names are the gazetteer's <name>
# elements in file order, then its <alias> elements, then, if there are
# still fewer than N, generated two-word names (as t/bench/gen-gazetteer.pl
# makes them).  Names a rule cannot carry safely (the delimiter |, a quote,
# $ or \, inflection slashes) are skipped.
use strict;
use warnings;

my ($file, $n) = @ARGV;
die "usage: substitute-rules.pl GAZETTEER N\n" unless defined $n && $n =~ /^\d+$/;
open my $in, '<:raw', $file or die "substitute-rules.pl: $file: $!\n";
my $xml = do { local $/; <$in> };
close $in;
$xml =~ s/<!--.*?-->//gs;

my %ent = (amp => '&', lt => '<', gt => '>', quot => '"', apos => "'");
sub text {
    my ($s) = @_;
    $s =~ s/&(amp|lt|gt|quot|apos);/$ent{$1}/g;
    $s =~ s/&#x([0-9a-fA-F]+);/chr hex $1/ge;
    $s =~ s/&#([0-9]+);/chr $1/ge;
    $s =~ s/^\s+|\s+$//g;
    $s =~ s/\s+/ /g;
    return $s;
}

my (@names, %seen);
sub add {
    my ($s) = @_;
    return if $s eq '' || $seen{$s}++;
    return if $s =~ m{[|"\$\\/]} || $s =~ /[\x00-\x1f]/;
    push @names, $s;
}
add(text($1)) while $xml =~ m{<name\b[^>]*>([^<]*)</name>}g;
add(text($1)) while $xml =~ m{<alias\b[^>]*>([^<]*)</alias>}g;

my $real = @names;
my @syl = qw(ka lo mi ne ra su ti vo ze ba de fi gu ha jo ku le mo nu pe ri sa to vu);
srand(42);
sub word { my $w = join '', map { $syl[int rand @syl] } 1 .. 2 + int rand 2; ucfirst $w }
my $guard = 0;
while (@names < $n && $guard++ < 100 * $n) {
    add(word() . ' ' . word());
}
splice @names, $n if @names > $n;

binmode STDOUT;
for my $name (@names) {
    my $re = $name;
    $re =~ s/([^A-Za-z0-9 \x80-\xff])/\\$1/g;   # bytes >= 0x80 are literal in PCRE
    print qq{Substitute "s|\\b$re\\b|<span>$name</span>|"\n};
}
printf STDERR "substitute-rules.pl: %d rules (%d names from %s, %d generated)\n",
    scalar @names, $real < @names ? $real : scalar @names, $file,
    $real < @names ? @names - $real : 0;
