package Consumers;
# The consumer checks (t/consumers/): software this project did not write
# judges pairs of pages, the original bytes and the bytes the module sent.
#
#   my @r = Consumers::run_checks($dir, \@pairs, checks => [...]);
#
# @pairs: { name, orig => path, tagged => path, orig_url, tagged_url }
# (the URLs for Chromium only).  Each result: { name, check, ok, detail }.
# The checks: bytes (our insertions removed, the original bytes), parse5,
# jsonld, validator (check.mjs), vnu, chromium (chromium.mjs).  A missing
# tool dies: the suite fails, it never skips.
use strict;
use warnings;
use Cwd qw(abs_path);
use File::Basename qw(dirname);
use Encode ();
use JSON::PP ();
use POSIX ();
use Time::HiRes ();
use lib dirname(__FILE__) . '/../lib';
use GeotagHttpd qw(unwrap bytes_diff);

our $DIR = abs_path(dirname(__FILE__));
our @CHECKS = qw(bytes parse5 jsonld validator vnu chromium);

sub slurp {
    my ($path) = @_;
    open my $fh, '<:raw', $path or die "$path: $!";
    local $/;
    my $s = <$fh>;
    return $s;
}

sub spew {
    my ($path, $bytes) = @_;
    open my $fh, '>:raw', $path or die "$path: $!";
    print $fh $bytes;
    close $fh or die "$path: $!";
}

# The shared reference material beside the tree (../shared, or
# $GEOTAG_SHARED).
sub shared {
    my $dir = length($ENV{GEOTAG_SHARED} // '') ? $ENV{GEOTAG_SHARED} : '../shared';
    return -d $dir ? abs_path($dir) : undef;
}

sub vocab { (shared() // '../shared') . '/vocab/schemaorg-current-https.jsonld' }
sub vnu_jar { "$DIR/node_modules/vnu-jar/build/dist/vnu.jar" }
sub chromium { $ENV{CHROMIUM} || '/usr/bin/chromium' }

# What the checks need; the list of what is missing (empty when all is there).
sub missing_tools {
    my @m;
    push @m, 'node (Debian nodejs)' unless grep { -x "$_/node" } split /:/, $ENV{PATH};
    push @m, 'java (Debian default-jre-headless)' unless grep { -x "$_/java" } split /:/, $ENV{PATH};
    push @m, chromium() . ' (Debian chromium)' unless -x chromium();
    for my $mod (qw(parse5 jsonld @adobe/structured-data-validator playwright-core vnu-jar)) {
        push @m, "$DIR/node_modules/$mod (npm ci --prefix t/consumers)"
            unless -d "$DIR/node_modules/$mod";
    }
    push @m, vocab() . ' (the schema.org vocabulary beside the tree)' unless -f vocab();
    return @m;
}

# bytes: the tagged page with our insertions removed is the original, and
# the unwrapper found nothing out of shape.
sub bytes_check {
    my ($p) = @_;
    my ($back, undef, $problems) = unwrap(slurp($p->{tagged}));
    my $diff = bytes_diff($back, slurp($p->{orig}));
    my @why;
    # (the page's bytes, shown as UTF-8 where they are)
    push @why, 'unwrapped page ' . Encode::decode('UTF-8', $diff, Encode::FB_DEFAULT())
        unless $diff eq 'identical';
    push @why, @$problems;
    return { name => $p->{name}, check => 'bytes', ok => @why ? 0 : 1,
             detail => join(' | ', @why) };
}

sub json_lines {
    my ($out) = @_;
    my @r;
    for (split /\n/, $out) {
        next unless /^\{/;
        push @r, JSON::PP->new->utf8->decode($_);
        $r[-1]{ok} = $r[-1]{ok} ? 1 : 0;
    }
    return @r;
}

sub run_node {
    my ($script, @args) = @_;
    my $cmd = join ' ', map { "'$_'" } 'node', "$DIR/$script", @args;
    my $out = `$cmd`;
    die "$script failed (exit " . ($? >> 8) . ")\n" if $?;
    return json_lines($out);
}

# vnu: the errors of the tagged page that the original does not have
# (by message: line and column move with our insertions, and so does how
# vnu cuts a long text into the runs it reports, so the count of a message
# the original has too may change with nothing new in the page).  A page served unchanged cannot have new errors: only the
# pages that differ are sent to vnu, on $JOBS JVMs side by side.
our $JOBS = $ENV{GEOTAG_CONSUMERS_JOBS} || 2;

sub vnu_run {
    my (@files) = @_;
    my $cmd = join ' ', 'java', '-Xss4m', '-jar', "'" . vnu_jar() . "'",
        '--format json --exit-zero-always --no-langdetect', map { "'$_'" } @files;
    my $out = `$cmd 2>&1 >/dev/null`;
    die "vnu failed (exit " . ($? >> 8) . ")\n" if $?;
    my $d = eval { JSON::PP->new->utf8->decode($out) }
        or die "vnu: no JSON output: " . substr($out, 0, 300) . "\n";
    return $d->{messages};
}

sub vnu_check {
    my ($dir, $pairs) = @_;
    my @changed = grep { slurp($_->{orig}) ne slurp($_->{tagged}) } @$pairs;
    my @files = map { ($_->{orig}, $_->{tagged}) } @changed;
    my @part;
    push @{ $part[$_ % $JOBS] }, $files[$_] for 0 .. $#files;
    my @kids;
    for my $i (0 .. $#part) {
        my $pid = fork // die "fork: $!";
        if (!$pid) {
            my $m = eval { vnu_run(@{ $part[$i] }) };
            spew("$dir/vnu-$i.json", JSON::PP->new->utf8->encode($m ? { messages => $m } : { error => "$@" }));
            POSIX::_exit(0);
        }
        push @kids, $pid;
    }
    waitpid $_, 0 for @kids;
    my %msgs;
    for my $i (0 .. $#part) {
        my $d = JSON::PP->new->utf8->decode(slurp("$dir/vnu-$i.json"));
        die $d->{error} if $d->{error};
        for my $m (@{ $d->{messages} }) {
            my $f = $m->{url} // '';
            $f =~ s{^file:}{};
            next unless ($m->{type} // '') =~ /^(error|non-document-error)$/;
            push @{ $msgs{$f} }, $m;
        }
    }
    my %changed = map { ($_->{name} => 1) } @changed;
    my @r;
    for my $p (@$pairs) {
        if (!$changed{$p->{name}}) {
            push @r, { name => $p->{name}, check => 'vnu', ok => 1, detail => 'served unchanged' };
            next;
        }
        my %before = map { ($_->{message} => 1) } @{ $msgs{$p->{orig}} // [] };
        my @new = grep { !$before{$_->{message}} } @{ $msgs{$p->{tagged}} // [] };
        my $detail = '';
        if (@new) {
            my $m = $new[0];
            $detail = scalar(@new) . ' new error(s), first at line ' . ($m->{lastLine} // '?')
                . ': ' . $m->{message} . (defined $m->{extract} ? ' [' . $m->{extract} . ']' : '');
            $detail =~ s/\s+/ /g;
        }
        push @r, { name => $p->{name}, check => 'vnu', ok => @new ? 0 : 1, detail => $detail };
    }
    return @r;
}

# run_checks($dir, \@pairs, checks => [..], chromium => [names]): the
# results of every check asked for; Chromium only on the pairs named.
our %TIME;      # seconds per check (parse5, jsonld and validator share one run)

sub run_checks {
    my ($dir, $pairs, %opt) = @_;
    my %want = map { $_ => 1 } @{ $opt{checks} // \@CHECKS };
    my @r;
    my $t0 = Time::HiRes::time();
    my $lap = sub { my $t = Time::HiRes::time(); $TIME{$_} = $t - $t0 for @_; $t0 = $t };
    push @r, map { bytes_check($_) } @$pairs if $want{bytes};
    $lap->('bytes');
    if ($want{parse5} || $want{jsonld} || $want{validator}) {
        my $list = "$dir/pages.json";
        spew($list, JSON::PP->new->encode([map { { name => $_->{name}, orig => $_->{orig}, tagged => $_->{tagged} } } @$pairs]));
        push @r, grep { $want{$_->{check}} } run_node('check.mjs', $list, vocab());
    }
    $lap->(qw(parse5 jsonld validator));
    push @r, vnu_check($dir, $pairs) if $want{vnu};
    $lap->('vnu');
    if ($want{chromium}) {
        my %in = map { $_ => 1 } @{ $opt{chromium} // [map { $_->{name} } @$pairs] };
        my @sample = grep { $in{$_->{name}} } @$pairs;
        my $list = "$dir/chromium.json";
        spew($list, JSON::PP->new->encode([map { { name => $_->{name},
            orig => $_->{orig_url} // "file://$_->{orig}",
            tagged => $_->{tagged_url} // "file://$_->{tagged}" } } @sample]));
        push @r, run_node('chromium.mjs', $list);
    }
    $lap->('chromium');
    return @r;
}

# The known defects (t/consumers/known.tsv): check, page, defect, reason.
sub known {
    my ($file) = @_;
    my %k;
    open my $fh, '<', $file or die "$file: $!";
    while (<$fh>) {
        chomp;
        next if /^\s*(#|$)/;
        my ($check, $page, $defect, $reason) = split /\t/;
        die "$file:$.: want check<TAB>page<TAB>defect<TAB>reason\n"
            unless defined $reason && length $defect;
        die "$file:$.: unknown check $check\n" unless grep { $_ eq $check } @CHECKS;
        $k{"$check\t$page"} = "$defect: $reason";
    }
    return \%k;
}

1;
