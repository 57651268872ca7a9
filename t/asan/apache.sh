#!/bin/sh
# t/asan/apache.sh BUILD — the Apache::Test suite (t/apache/) with the
# module built under ASan/UBSan (BUILD/module/.libs/mod_geotag.so, loaded
# through BUILD/modules.conf) and httpd started by t/asan/httpd, which
# preloads the ASan runtime.  Fails when the suite fails, runs no test, or
# when any sanitizer report appears in BUILD/asan-logs/.
set -u
build=${1:-build-asan}
top=$(pwd)
logs="$top/$build/asan-logs"
rm -rf "$logs"
mkdir -p "$logs"
chmod 1777 "$logs"              # httpd's children run as nobody
export GEOTAG_ASAN_LOG_DIR="$logs"
export GEOTAG_MODULES_CONF="$top/$build/modules.conf"
export GEOTAG_HTTPD="$top/t/asan/httpd"
export GEOTAG_MODULE_SO="$top/$build/module/.libs/mod_geotag.so"
log="$build/suite-apache-asan.log"
perl t/TEST.PL -clean >/dev/null 2>&1
# configure first, then run: from a clean tree, one call that does both
# with -httpd starts no server and skips every test
perl t/TEST.PL -httpd "$GEOTAG_HTTPD" -config >"$log" 2>&1
perl t/TEST.PL -httpd "$GEOTAG_HTTPD" t/apache >>"$log" 2>&1
rc=$?
cat "$log"
status=0
# the server really ran the instrumented module
if ! grep -q "geotag_module \"*$GEOTAG_MODULE_SO" t/conf/httpd.conf 2>/dev/null; then
    echo "ASAN SUITE FAILED: t/conf/httpd.conf does not load $GEOTAG_MODULE_SO"
    status=1
fi
perl t/TEST.PL -clean >/dev/null 2>&1
tests=$(sed -n 's/^Files=[0-9]*, Tests=\([0-9]*\),.*/\1/p' "$log" | tail -n 1)
if [ "$rc" -ne 0 ] || ! grep -q '^Result: PASS' "$log"; then
    echo "ASAN SUITE FAILED: apache (exit $rc)"
    status=1
elif [ -z "$tests" ] || [ "$tests" -eq 0 ]; then
    echo "ASAN SUITE FAILED: apache ran no tests"
    status=1
fi
reports=$(find "$logs" -type f | sort)
if [ -n "$reports" ]; then
    echo "ASAN SUITE FAILED: $(echo "$reports" | wc -l) sanitizer report(s) in $logs:"
    for f in $reports; do
        echo "== $f"
        head -60 "$f"
    done
    status=1
fi
[ "$status" -eq 0 ] && echo "== asan suite apache: $tests tests passed, no sanitizer report"
exit $status
