#!/bin/sh
# t/bench/build-rev.sh REV DIR TARGET... — a build of REV (a git revision)
# beside this tree, for the comparisons with BEFORE=REV (t/bench/callgrind.sh,
# t/bench-engine.sh, t/bench/run.sh, t/bench/same-output.sh).  REV's files
# go into DIR (git archive), this tree's t/bench/bench_engine.c over REV's
# (both sides are then measured by the same program), and
# `make BUILD=build TARGET...` runs there: REV's Makefile, so REV's
# default dictionary is compiled in.  Quiet; the build's output is in
# DIR/build-rev.log, and on stderr when the build fails.
set -eu
rev=${1:?usage: build-rev.sh REV DIR TARGET...}
dir=${2:?usage: build-rev.sh REV DIR TARGET...}
shift 2
git rev-parse --verify --quiet "$rev^{commit}" >/dev/null || {
    echo "build-rev.sh: $rev is not a revision of this repository" >&2
    exit 2
}
mkdir -p "$dir"
git archive "$rev" | tar -x -C "$dir"
mkdir -p "$dir/t/bench"
cp t/bench/bench_engine.c "$dir/t/bench/"
make -s -C "$dir" BUILD=build "$@" > "$dir/build-rev.log" 2>&1 || {
    cat "$dir/build-rev.log" >&2
    echo "build-rev.sh: the build of $rev failed" >&2
    exit 1
}
