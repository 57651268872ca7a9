#!/usr/bin/perl
# report.pl RESULTS-DIR CLK_TCK SECONDS — the summary of t/bench/run.sh:
# the Apache table (medians of the repetitions), the targets with PASS/MISS,
# memory, latency, startup, and what the error logs and checks said.  With a
# BEFORE run (run.sh BUILD REV: the file "before"), the before cells of b
# and c beside theirs, and a table of after/before.
use strict;
use warnings;

my ($dir, $clk, $elapsed) = @ARGV;
die "usage: report.pl RESULTS-DIR CLK_TCK SECONDS\n" unless defined $clk;

sub lines {
    my ($f) = @_;
    open my $fh, '<', "$dir/$f" or return ();
    chomp(my @l = <$fh>);
    return grep { length } @l;
}
sub median {
    my @v = sort { $a <=> $b } grep { defined } @_;
    return undef unless @v;
    return @v % 2 ? $v[$#v / 2] : ($v[@v / 2 - 1] + $v[@v / 2]) / 2;
}
sub commas {
    my ($n, $d) = @_;
    return '-' unless defined $n;
    my $s = sprintf "%.${d}f", $n;
    1 while $s =~ s/^(-?\d+)(\d{3})/$1,$2/;
    return $s;
}

my %cell_label = (
    a     => 'a  static',
    b     => 'b  GEOTAG, cache none',
    c     => 'c  GEOTAG, cache hit',
    d30   => 'd  substitute, 30 rules',
    d1000 => 'd  substitute, 1000 rules',
    e     => 'e  proxy_html',
    f     => 'f  deflate',
    g     => 'g  static, tagged bytes',
    a_nc  => "a' static (cache-none server)",
    a_r   => "a\" static (replay server)",
    c_r   => "c' hit, replayed (no memory)",
    bB    => 'b  before: GEOTAG, cache none',
    a_ncB => "a' before: static (cache none)",
    cB    => 'c  before: GEOTAG, cache hit',
    aB    => 'a  before: static',
);
# the before cells (REV's module, make bench BEFORE=REV) have rows only then
my @cells = qw(a_nc b bB a_ncB a c cB aB d30 d1000 e f g a_r c_r);
# the rest: a (same server)
my %base = (b => 'a_nc', a_nc => 'a_nc', c_r => 'a_r', a_r => 'a_r',
            bB => 'a_ncB', a_ncB => 'a_ncB', cB => 'aB', aB => 'aB');
# "before: REV (HASH), built in DIR"
my ($before_rev) = map { /^before: (.*?), built in / ? $1 : () } lines('before');
my %page_label = (p16k => 'sample 16K', p50k => '50K', p500k => '500K',
                  real => 'real 172K');
my @pages = qw(p16k p50k p500k);
push @pages, 'real' if grep { (split /\t/)[1] eq 'real' } lines('runs');

# runs: cell page rep tool requests seconds ticks errors
my (%rps, %cpu, %tool, %err, %reqs, %closed);
for (lines('runs')) {
    my ($cell, $page, $rep, $tool, $req, $sec, $ticks, $errors, $closes) = split /\t/;
    next unless $rep && $req && $sec;
    $closed{$cell}{$page} += $closes || 0;
    push @{ $rps{$cell}{$page} }, $req / $sec;
    push @{ $cpu{$cell}{$page} }, $ticks * 1e6 / $clk / $req;
    $tool{$cell}{$page} = $tool eq 'wrk' ? 'wrk' : 'ab';
    $err{$cell}{$page} += $errors;
    $reqs{$cell}{$page} += $req;
}
my %size;
for (lines('sizes')) { my ($c, $p, $n) = split /\t/; $size{$c}{$p} = $n }
my (%R, %C);
for my $c (@cells) {
    for my $p (@pages) {
        $R{$c}{$p} = median(@{ $rps{$c}{$p} || [] });
        $C{$c}{$p} = median(@{ $cpu{$c}{$p} || [] });
    }
}
sub ratio { my ($c, $p) = @_; my $b = $base{$c} || 'a';
            return undef unless $R{$c}{$p} && $R{$b}{$p}; $R{$c}{$p} / $R{$b}{$p} }
sub added { my ($c, $p) = @_; my $b = $base{$c} || 'a';
            return undef unless defined $C{$c}{$p} && defined $C{$b}{$p}; $C{$c}{$p} - $C{$b}{$p} }

print "== results (", join('; ', grep { defined } (lines('machine'))[0], (lines('tree'))[0]), ")\n\n";
my $n_reps = 0;
for my $c (@cells) { for my $p (@pages) { my $n = @{ $rps{$c}{$p} || [] }; $n_reps = $n if $n > $n_reps } }
print "Apache: median of $n_reps repetitions; httpd (event, 1 process x 16 threads) on core 0,\n",
      "client on core 1, 16 keep-alive connections; CPU = utime+stime of every httpd process.\n",
      "Ratios and added CPU are against a on the same server (b against a', c' against a\").\n";
print "The before rows are those of $before_rev, its module on servers of its own, against their own static rows.\n"
    if defined $before_rev;
print "\n";
my $fmt = "%-30s %-10s %-4s %10s %7s %11s %8s %11s %9s %6s %8s\n";
printf $fmt, 'cell', 'page', 'tool', 'req/s', 'spread', 'CPU us/req', 'vs a', 'added CPU', 'bytes', 'errors', 'requests';
printf $fmt, '-' x 30, '-' x 10, '-' x 4, '-' x 10, '-' x 7, '-' x 11, '-' x 8, '-' x 11, '-' x 9, '-' x 6, '-' x 8;
my ($total_closed, $total_reqs) = (0, 0);
for my $p (@pages) {
    for my $c (@cells) {
        next unless defined $R{$c}{$p};
        my @v = sort { $a <=> $b } @{ $rps{$c}{$p} };
        my $spread = $v[0] ? sprintf('%.0f%%', 100 * ($v[-1] / $v[0] - 1)) : '-';
        my $r = ratio($c, $p);
        my $add = added($c, $p);
        printf $fmt, $cell_label{$c}, $page_label{$p}, $tool{$c}{$p},
            commas($R{$c}{$p}, $R{$c}{$p} < 100 ? 1 : 0), $spread,
            commas($C{$c}{$p}, $C{$c}{$p} < 100 ? 1 : 0),
            defined $r ? sprintf('%.3fx', $r) : '-',
            defined $add ? ($add >= 0 ? '+' : '') . commas($add, abs($add) < 100 ? 1 : 0) : '-',
            commas($size{$c}{$p}, 0), $err{$c}{$p} || 0, commas($reqs{$c}{$p}, 0);
        $total_closed += $closed{$c}{$p} || 0;
        $total_reqs += $reqs{$c}{$p} || 0;
    }
    print "\n";
}
print "wrk: fixed duration per run; ab: fixed request count (cells slower than 5 ms a request).\n";
print "spread: (max - min) / min of the req/s over the repetitions; requests: completed, all repetitions;\n";
print "errors: non-2xx, timeouts, connect/write errors.  wrk also saw $total_closed keep-alive connections\n",
      "closed by the server (\"read\" socket errors; the event MPM closes idle keep-alive connections when\n",
      "no worker is free) in $total_reqs requests; it reconnects, so they only cost a handshake.\n";
print "$_\n" for lines('cache');
print "\n";

# ---------------------------------------------------------------- before
if (defined $before_rev) {
    print "== b and c before and after: before = $before_rev, after = this tree; medians as above,\n",
          "   vs a and added CPU against the static row of each one's own server\n";
    my $bf = "%-22s %-10s %10s %10s %8s %8s %8s %10s %10s %8s\n";
    printf $bf, 'cell', 'page', 'req/s', 'req/s', 'after/', 'vs a', 'vs a', 'added CPU', 'added CPU', 'after/';
    printf $bf, '', '', 'before', 'after', 'before', 'before', 'after', 'before', 'after', 'before';
    printf $bf, '-' x 22, '-' x 10, '-' x 10, '-' x 10, '-' x 8, '-' x 8, '-' x 8, '-' x 10, '-' x 10, '-' x 8;
    my $x = sub { defined $_[0] ? sprintf('%.3fx', $_[0]) : '-' };
    my $us = sub { defined $_[0] ? ($_[0] >= 0 ? '+' : '') . commas($_[0], abs($_[0]) < 100 ? 1 : 0) : '-' };
    for my $p (@pages) {
        for ([b => 'bB', 'b  GEOTAG, cache none'], [c => 'cB', 'c  GEOTAG, cache hit']) {
            my ($c, $cb, $label) = @$_;
            next unless defined $R{$c}{$p} && defined $R{$cb}{$p};
            my ($ab, $aa) = (added($cb, $p), added($c, $p));
            printf $bf, $label, $page_label{$p}, commas($R{$cb}{$p}, 0), commas($R{$c}{$p}, 0),
                $x->($R{$c}{$p} / $R{$cb}{$p}), $x->(ratio($cb, $p)), $x->(ratio($c, $p)),
                $us->($ab), $us->($aa),
                # a ratio of added CPU means something only when both add
                $x->(defined $ab && defined $aa && $ab > 0 && $aa > 0 ? $aa / $ab : undef);
        }
    }
    print "after/before: of req/s (above 1: this tree serves more), and of the CPU GEOTAG adds\n",
          "(below 1: this tree adds less; '-' where either adds nothing measurable).\n\n";
}

# ---------------------------------------------------------------- targets
my @verdicts;
sub verdict {
    my ($ok, $text) = @_;
    my $v = !defined $ok ? 'n/a ' : $ok ? 'PASS' : 'MISS';
    push @verdicts, "$v  $text";
}
for my $p (@pages) {
    my $pl = $page_label{$p};
    my $rb = ratio('b', $p);
    verdict(defined $rb ? $rb >= 0.6 : undef,
        sprintf "(b) GEOTAG uncached >= 0.6x plain static req/s, %s: %s (%s vs %s req/s)",
            $pl, defined $rb ? sprintf('%.3fx', $rb) : '-', commas($R{b}{$p}, 0), commas($R{a_nc}{$p}, 0));
    my $ab = added('b', $p);
    for ([d30 => 10, 'substitute-30'], [d1000 => 100, 'substitute-1000'], [e => 2, 'proxy_html']) {
        my ($c, $k, $name) = @$_;
        my $ac = added($c, $p);
        my $ok = defined $ab && defined $ac ? ($ab <= $ac / $k ? 1 : 0) : undef;
        verdict($ok, sprintf "(b) added CPU <= 1/%d of %s's, %s: %s us vs %s/%d = %s us%s",
            $k, $name, $pl, commas($ab, 1), commas($ac, 1), $k,
            defined $ac ? commas($ac / $k, 1) : '-',
            defined $ab && defined $ac && $ab > 0 ? sprintf(' (1/%.1f)', $ac / $ab) : '');
    }
    my $rc = ratio('c', $p);
    verdict(defined $rc ? $rc >= 0.9 : undef,
        sprintf "(c) GEOTAG cache hit >= 0.9x plain static req/s, %s: %s (%s vs %s req/s)",
            $pl, defined $rc ? sprintf('%.3fx', $rc) : '-', commas($R{c}{$p}, 0), commas($R{a}{$p}, 0));
}

# ---------------------------------------------------------------- memory
my @mem = lines('memory');
my $mem_growth;
print "== memory: 100 MB pages, RssAnon of the serving child (KB), polled every millisecond\n";
print "   dense = the article body repeated (the 2,000-mention cap is reached after ~480 KB, the\n",
      "   rest passes untouched); sparse = the body once, then prose that names nothing (all\n",
      "   100 MB go through the engine)\n";
printf "%-30s %6s %12s %8s %9s %9s %9s %8s %10s\n", 'request', 'status', 'bytes', 'seconds',
    'before', 'peak', 'after', 'growth', 'RssFile pk';
for (@mem) {
    my ($label, $code, $bytes, $secs, $before, $peak, $after, $samples, $pfile) = split /\t/;
    my $growth = $peak - $before;
    printf "%-30s %6s %12s %8.2f %9s %9s %9s %8s %10s\n", $label, $code, commas($bytes, 0), $secs,
        commas($before, 0), commas($peak, 0), commas($after, 0), commas($growth, 0), commas($pfile, 0);
    if ($label =~ /GEOTAG/) { $mem_growth = $growth if !defined $mem_growth || $growth > $mem_growth }
}
print "RssFile is the page's file mapped by httpd (EnableMMAP), shared and not anonymous.\n";
print "$_\n" for lines('memory.notes');
verdict(defined $mem_growth ? $mem_growth <= 1024 : undef,
    sprintf "(mem) 100 MB page through GEOTAG: peak anonymous RSS growth <= 1024 KB: %s KB (worst of %d requests)",
        commas($mem_growth, 0), scalar grep { /GEOTAG/ } @mem);
print "\n";

# ---------------------------------------------------------------- latency
my (%ttfb, %total, @pairs, $bad, $last);
for (lines('latency')) {
    my ($loc, $code, $t, $tt) = split / /;
    $bad++ if $code ne '200';
    push @{ $ttfb{$loc} }, $t * 1000;
    push @{ $total{$loc} }, $tt * 1000;
    # the requests alternate: without, with
    if ($loc eq 'slow') { $last = $t * 1000 }
    elsif (defined $last) { push @pairs, $t * 1000 - $last; undef $last }
}
print "== latency: a CGI (perl) streams a 1 MB page in 16 KB pieces 20 ms apart; ",
      scalar @{ $ttfb{slow} || [] }, " requests each, alternating\n";
for my $loc (qw(slow slowtag)) {
    next unless $ttfb{$loc};
    my @s = sort { $a <=> $b } @{ $ttfb{$loc} };
    printf "%-14s TTFB median %6.2f ms (min %.2f, max %.2f)   total median %8.1f ms\n",
        $loc eq 'slow' ? 'without GEOTAG' : 'with GEOTAG', median(@s), $s[0], $s[-1], median(@{ $total{$loc} });
}
print "  the CGI page through GEOTAG: $_\n" for lines('latency.check');
print "  WARNING: $bad requests did not answer 200\n" if $bad;
my ($dt, $dmin, $dpair);
if ($ttfb{slow} && $ttfb{slowtag}) {
    $dt = median(@{ $ttfb{slowtag} }) - median(@{ $ttfb{slow} });
    my @a = sort { $a <=> $b } @{ $ttfb{slow} };
    my @b = sort { $a <=> $b } @{ $ttfb{slowtag} };
    $dmin = $b[0] - $a[0];
    $dpair = median(@pairs);
    printf "  added TTFB: %+.2f ms (medians), %+.2f ms (minimums), %+.2f ms (median of the pairs);\n" .
           "  the CGI's own start (fork, exec, perl) varies by ~2 ms, more than the effect measured\n",
        $dt, $dmin, $dpair // 0;
}
verdict(defined $dt ? $dt <= 1 : undef,
    sprintf "(latency) added TTFB on a slowly streamed 1 MB page <= 1 ms: %s ms (difference of medians; minimums %s ms)",
        defined $dt ? sprintf('%+.2f', $dt) : '-', defined $dmin ? sprintf('%+.2f', $dmin) : '-');
print "\n";

# ---------------------------------------------------------------- startup
print "== startup: loading and compiling the dictionary\n";
for (lines('engine')) {
    next unless /^(\S.*?)\s{2,}.*dictionary: ([\d]+) entities, (\d+) forms, loaded in (\d+) ms/;
    printf "  %-38s %7s entities %7s forms: loaded in %5s ms (bench_engine)\n", $1, $2, $3, $4;
}
for (lines('startup')) {
    my ($d, $kb, $secs) = split / /;
    printf "  geotag with the %-7s dictionary, tagging the sample: max RSS %s KB, %.2f s\n",
        $d eq '100k' ? '+100k' : $d, commas($kb, 0), $secs;
}
print "\n";

# ---------------------------------------------------------------- the rest
print "== engine (MB/s of HTML per core)\n";
my @engine = lines('engine');
my ($mark) = grep { $engine[$_] =~ /^before .* cell by cell/ } 0 .. $#engine;
if (defined $mark) {
    # with a before: this tree's lines, then the table of both
    print "  $_\n" for grep { /MB\/s/ && !/^\s/ } @engine[0 .. $mark - 1];
    print "\n";
    print "  $_\n" for @engine[$mark .. $#engine];
} else {
    print "  $_\n" for grep { /MB\/s/ } @engine;
}
print "\n";
for (['profile.b', 'b (GEOTAG, cache none)'], ['profile.c', 'c (GEOTAG, cache hit)']) {
    my @prof = lines($_->[0]);
    next unless @prof;
    print "== profile: perf, the serving child during $_->[1] on the sample article (self time, >= 1 %)\n";
    my @dso = lines("$_->[0].dso");
    if (@dso) {
        print "  by object:\n";
        for (@dso) { s/[\s-]+$//; print "  $_\n" }
        print "  by symbol:\n";
    }
    for (@prof) { s/[\s-]+$//; print "  $_\n" }
    my @incl = lines("$_->[0].incl");
    if (@incl) {
        print "  inclusive (this function and what it calls), selected stages:\n";
        my %seen;
        for (@incl) {
            s/[\s-]+$//;
            my ($pct, $sym) = /^\s*([\d.]+%)\s+[\d.]+%\s+\[.\]\s+(.*)$/ or next;
            next if $seen{$sym}++;
            printf "  %8s  %s\n", $pct, $sym;
        }
    }
    print "\n";
}
my @checks = lines('checks');
my @failed = grep { !/^0\t/ } @checks;
print "== checks: ", scalar(@checks) - scalar(@failed), " of ", scalar @checks, " passed\n";
for (@failed) { my ($s, $t) = split /\t/, $_, 2; print "  FAIL  $t\n" }
print "  $_\n" for lines('proxyhtml.example');
print "  $_\n" for lines('before.notes');
print "  $_\n" for lines('sub1000.note');
my @servers = map { (split / /)[0] } lines('errorlog.count');
for my $s (@servers ? @servers : qw(nc main replay)) {
    my ($n) = map { (split / /)[1] } grep { /^$s / } lines('errorlog.count');
    my @all = lines("errorlog.$s");
    my @e = grep { !/AH00484|AH10159/ } @all;    # "reached MaxRequestWorkers": 16 threads, 16 clients
    my ($kids) = map { (split / /, $_, 2)[1] } grep { /^$s / } lines('children');
    printf "  error_log of %s: %s lines, %d at error level or worse / crashes (besides %d MaxRequestWorkers notices)%s\n",
        $s, $n // '?', scalar @e, @all - @e, defined $kids ? "; $kids" : '';
    print "    $_\n" for @e[0 .. ($#e < 9 ? $#e : 9)];
}
print "\n== targets\n";
print "$_\n" for @verdicts;
printf "\n(make bench took %d s)\n", $elapsed;
