#!/bin/sh
# t/deps.sh GROUP... — make sure the Debian packages a task needs are there.
# Installs what is missing when run as root (apt-get), otherwise lists it and
# fails.  Groups: build, test, deb, demo, bench, similarity.
set -eu
pkgs=""
for group in "$@"; do
    case "$group" in
    build) pkgs="$pkgs gcc make pkg-config apache2-dev libapr1-dev libaprutil1-dev libpcre2-dev libxml2-dev" ;;
    # chromium, default-jre-headless (vnu), nodejs and npm: the consumer
    # suite (t/consumers/); its npm packages come from its lock file
    test)  pkgs="$pkgs perl python3 libxml2-utils apache2 libapache2-mod-perl2 libwww-perl memcached redis-server faketime clang llvm nodejs chromium default-jre-headless witalian wamerican"
           # npm is its own Debian package, but part of nodejs where nodejs
           # comes from NodeSource
           command -v npm >/dev/null 2>&1 || pkgs="$pkgs npm" ;;
    # make deb (dh_apache2 is apache2-dev's, in build) and its test
    # (t/package/: install, serve, lintian, purge)
    deb)   pkgs="$pkgs debhelper dpkg-dev fakeroot lintian apache2 curl" ;;
    demo)  pkgs="$pkgs apache2 curl" ;;
    # valgrind: the instruction counts of make bench-callgrind
    bench) pkgs="$pkgs apache2 apache2-utils wrk curl time perl valgrind" ;;
    similarity) pkgs="$pkgs similarity-tester" ;;
    *) echo "deps.sh: unknown group $group" >&2; exit 2 ;;
    esac
done
missing=""
for p in $pkgs; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
    echo "missing Debian packages:$missing" >&2
    echo "install them (apt-get install$missing) or run this as root" >&2
    exit 1
fi
echo "installing:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
