#!/bin/sh
# t/run-suites.sh BUILD — run every test suite; fail loudly when one fails or
# runs zero tests (a suite that tests nothing must never look green).
set -u
build=${1:-build}
status=0
run_suite() {
    name=$1; shift
    log="$build/suite-$name.log"
    echo "== suite: $name"
    "$@" >"$log" 2>&1
    rc=$?
    cat "$log"
    tests=$(sed -n 's/^Files=[0-9]*, Tests=\([0-9]*\),.*/\1/p' "$log" | tail -n 1)
    if [ "$rc" -ne 0 ] || ! grep -q '^Result: PASS' "$log"; then
        echo "SUITE FAILED: $name (exit $rc)"
        status=1
    elif [ -z "$tests" ] || [ "$tests" -eq 0 ]; then
        echo "SUITE FAILED: $name ran no tests"
        status=1
    else
        echo "== suite $name: $tests tests passed"
    fi
}
run_suite unit prove -e '' "$build"/t/test_*
GEOTAG_BIN="$build/geotag" run_suite engine prove t/engine/
# the fuzz targets over their seeds and regression inputs (built by make test)
run_suite fuzz-replay prove t/fuzz/replay.t
# software this project did not write (parse5, jsonld.js, the structured-data
# validator, vnu, headless Chromium) on every corpus page served by a real
# httpd with the module, and on broken pages each check must catch
run_suite consumers prove t/consumers/
# the server tests: a real httpd started by Apache::Test with the module
perl t/TEST.PL -clean >/dev/null 2>&1
run_suite apache perl t/TEST.PL t/apache
# the Debian package: make deb, lintian, installed, served by an Apache of
# its own through apache2ctl, purged (root; the machine is left as it was)
GEOTAG_BUILD="$build" run_suite package prove t/package/
# httpd's own CI habit: a crash can hide behind a green harness
if grep -E 'Segmentation fault|glibc detected|Assertion .* failed|exit signal (Segmentation|Abort|Bus)' \
        t/logs/error_log 2>/dev/null | head -5 | grep .; then
    echo "SUITE FAILED: apache: a child crashed (t/logs/error_log)"
    status=1
fi
if [ "$status" -ne 0 ]; then
    echo "make test: FAILED"
    exit 1
fi
echo "make test: all suites passed"
