#!/usr/bin/perl
# rsspoll.pl PID URL — fetch URL once (curl, on core 1, body discarded) while
# polling /proc/PID/status every millisecond; prints, tab-separated:
#   http_code  bytes  seconds  RssAnon-before  RssAnon-peak  RssAnon-after
#   samples  RssFile-peak
# (KB).  PID is the httpd child that serves the request (one child).
use strict;
use warnings;
use POSIX ':sys_wait_h';
use Time::HiRes qw(usleep);

my ($pid, $url) = @ARGV;
die "usage: rsspoll.pl PID URL\n" unless defined $url;

sub rss {
    my %h = (RssAnon => 0, RssFile => 0);
    open my $fh, '<', "/proc/$pid/status" or return \%h;
    while (<$fh>) { $h{$1} = $2 if /^(RssAnon|RssFile):\s+(\d+)/ }
    return \%h;
}

pipe(my $r, my $w) or die "rsspoll.pl: pipe: $!\n";
my $before = rss();
my $child = fork;
die "rsspoll.pl: fork: $!\n" unless defined $child;
if ($child == 0) {
    close $r;
    open STDOUT, '>&', $w or die;
    exec 'taskset', '-c', '1', 'curl', '-s', '-o', '/dev/null', '--max-time', '300',
        '-w', '%{http_code} %{size_download} %{time_total}', $url;
    exit 127;
}
close $w;
my ($peak, $peak_file, $n) = ($before->{RssAnon}, $before->{RssFile}, 0);
# bounded: curl gives up after 300 s
while (waitpid($child, WNOHANG) == 0 && $n < 400_000) {
    my $x = rss();
    $peak = $x->{RssAnon} if $x->{RssAnon} > $peak;
    $peak_file = $x->{RssFile} if $x->{RssFile} > $peak_file;
    $n++;
    usleep(1000);
}
waitpid($child, 0) if $n >= 400_000;
my $out = do { local $/; <$r> } // '';
my ($code, $bytes, $secs) = split ' ', $out;
my $after = rss();
print join("\t", $code // '000', $bytes // 0, $secs // 0, $before->{RssAnon}, $peak,
           $after->{RssAnon}, $n, $peak_file), "\n";
