#!/bin/sh
# t/conf/fill.sh TEMPLATE — TEMPLATE on stdout with every @NAME@ replaced by
# the value of the environment variable TMPL_NAME, copied as it is (no sed
# or awk escapes to get wrong); a name without a variable is an error.
# t/demo.sh and t/bench/run.sh fill t/conf/private-httpd.conf.tmpl with it
# (the server tests fill the same template in t/lib/GeotagHttpd.pm).
set -eu
awk '{
    out = ""
    while (match($0, /@[A-Z_]+@/)) {
        key = "TMPL_" substr($0, RSTART + 1, RLENGTH - 2)
        if (!(key in ENVIRON)) {
            print FILENAME ": nothing for " key > "/dev/stderr"
            exit 1
        }
        out = out substr($0, 1, RSTART - 1) ENVIRON[key]
        $0 = substr($0, RSTART + RLENGTH)
    }
    print out $0
}' "$1"
