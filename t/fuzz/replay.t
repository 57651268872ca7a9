# The fuzz targets over their committed seeds and regression inputs: no
# random runs, each file is executed once (libFuzzer's behaviour when given
# files), so a finding once fixed stays fixed.  Builds nothing: make test
# builds the targets first (make fuzz-bin); a missing target fails.
use strict;
use warnings;
use Test::More;

my $build = $ENV{FUZZ_BUILD} || 'build-fuzz';
my @targets = qw(engine normalize jsonld_reader figures gazetteer result);
$ENV{PATH} = "/usr/lib/llvm-14/bin:$ENV{PATH}" if -x '/usr/lib/llvm-14/bin/llvm-symbolizer';
$ENV{UBSAN_OPTIONS} //= 'halt_on_error=1:print_stacktrace=1';

for my $t (@targets) {
    my $bin = "$build/fuzz_$t";
    my @inputs = grep { -f } map { glob("t/fuzz/$_/$t/*") } qw(seeds regressions);
    unless (-x $bin) {
        fail("$t: target binary $bin is missing (make fuzz-bin)");
        next;
    }
    unless (@inputs) {
        fail("$t: no seeds or regression inputs in t/fuzz/{seeds,regressions}/$t");
        next;
    }
    my $out = `$bin -runs=1 @inputs 2>&1`;
    my $rc = $? >> 8;
    my $ran = () = $out =~ /^Executed /mg;
    ok($rc == 0 && $ran == @inputs, "$t: " . scalar(@inputs) . " inputs replayed")
      or diag "exit $rc, $ran of " . scalar(@inputs) . " executed\n"
      . join("\n", grep { /invariant|ERROR|SUMMARY|runtime error|Running/ } split /\n/, $out);
}
done_testing();
