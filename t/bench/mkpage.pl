#!/usr/bin/perl
# mkpage.pl SAMPLE BYTES [sparse] — an article page of about BYTES bytes
# (never less): SAMPLE's chrome (head, header, aside, footer) around its
# article body (the <div class="entry-content"> content) repeated, then cut
# at a line so the page is at least BYTES long.  Used by t/bench/run.sh for
# the 50 KB, 500 KB, 1 MB and 100 MB pages.
#
# With "sparse" the body is the sample's once, then paragraphs of ordinary
# lower-case prose that names nothing and quotes no figure: a long page that
# stays under every per-page cap of the engine (2,000 mentions …), so all
# of it goes through the engine rather than past it.
use strict;
use warnings;

my ($sample, $want, $mode) = @ARGV;
die "usage: mkpage.pl SAMPLE BYTES [sparse]\n" unless defined $want && $want =~ /^\d+$/;
$mode = '' unless defined $mode;
open my $in, '<:raw', $sample or die "mkpage.pl: $sample: $!\n";
my @lines = <$in>;
close $in;

my ($open) = grep { $lines[$_] =~ /<div class="entry-content">/ } 0 .. $#lines;
die "mkpage.pl: no <div class=\"entry-content\"> in $sample\n" unless defined $open;
my ($footer) = grep { $_ > $open && $lines[$_] =~ /<\/article>|class="entry-footer"/ } 0 .. $#lines;
die "mkpage.pl: no end of the article body in $sample\n" unless defined $footer;
my $close = $footer;
$close-- while $close > $open && $lines[$close] !~ /^\s*<\/div>\s*$/;
die "mkpage.pl: no </div> closing the article body\n" if $close == $open;

my $head = join '', @lines[0 .. $open];
my @body = @lines[$open + 1 .. $close - 1];
my $tail = join '', @lines[$close .. $#lines];
my $body_len = 0;
$body_len += length for @body;
die "mkpage.pl: empty article body\n" unless $body_len;

binmode STDOUT;
my $size = length($head) + length($tail);
print $head;
if ($mode eq 'sparse') {
    print @body;
    $size += $body_len;
    my @words = qw(il la le gli una uno del della delle nel nella con per tra
        che non come anche ancora sempre spesso dopo prima quando mentre dove
        tempo lavoro strada casa giorno sera mattina tavolo parola pagina libro
        lettera storia pensiero viaggio mercato piazza finestra porta giardino
        scrive legge guarda racconta ricorda spiega prepara cerca trova lascia
        lungo breve nuovo vecchio chiaro semplice lento veloce antico moderno);
    srand(7);
    @body = ();
    $body_len = 0;
    for (1 .. 64) {
        my $p = join ' ', map { $words[int rand @words] } 1 .. 80;
        $p = "    <p>" . ucfirst($p) . ".</p>\n\n";
        push @body, $p;
        $body_len += length $p;
    }
}
# whole copies of the body while they fit, then line by line
while ($size + $body_len <= $want) {
    print @body;
    $size += $body_len;
}
for my $line (@body) {
    last if $size >= $want;
    print $line;
    $size += length $line;
}
print $tail;
