#!/usr/bin/perl
# gen-gazetteer.pl N — a synthetic gazetteer of N person entities (two-word
# names made of syllables, plus a surname alias) for the scaling benchmark;
# the shipped lexicon is not needed (the real one is loaded beside it).
use strict;
use warnings;
my $n = shift || 100000;
my @syl = qw(ka lo mi ne ra su ti vo ze ba de fi gu ha jo ku le mo nu pe ri sa to vu);
srand(42);
sub word { my $w = join '', map { $syl[int rand @syl] } 1 .. 2 + int rand 2; ucfirst $w }
print qq{<?xml version="1.0" encoding="UTF-8"?>\n<gazetteer xmlns="urn:mod-geotag:gazetteer:1">\n};
my %seen;
for my $i (1 .. $n) {
    my ($first, $last);
    do { ($first, $last) = (word(), word()) } while $seen{"$first $last"}++;
    my $id = 900000000 + $i;
    print qq{<entity id="Q$id" type="Person"><name lang="en">$first $last</name></entity>\n};
}
print "</gazetteer>\n";
