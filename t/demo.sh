#!/bin/sh
# t/demo.sh BUILD — the README's quick start: a local Apache on 127.0.0.1
# with mod_geotag serving the sample articles, tagged on the fly.
#   sh t/demo.sh build          start it (prints the URLs)
#   sh t/demo.sh build stop     stop it
set -eu
build=${1:-build}
top=$(pwd)
dir="$top/$build/demo"
port=${GEOTAG_DEMO_PORT:-8080}
mods=/usr/lib/apache2/modules
mkdir -p "$dir/logs"
if [ "${2:-}" = stop ]; then
    [ -f "$dir/logs/httpd.pid" ] && /usr/sbin/apache2 -f "$dir/httpd.conf" -k stop && echo "demo stopped"
    exit 0
fi
if [ -f "$dir/logs/httpd.pid" ] && kill -0 "$(cat "$dir/logs/httpd.pid")" 2>/dev/null; then
    /usr/sbin/apache2 -f "$dir/httpd.conf" -k stop || true
    sleep 1
fi
user_lines=""
if [ "$(id -u)" -eq 0 ]; then
    user_lines="User nobody
Group nogroup"
fi
cat > "$dir/httpd.conf" <<CONF
# written by t/demo.sh
ServerRoot "$dir"
Listen 127.0.0.1:$port
ServerName 127.0.0.1
PidFile logs/httpd.pid
ErrorLog logs/error_log
LogLevel warn geotag:info
$user_lines
LoadModule mpm_event_module $mods/mod_mpm_event.so
LoadModule authz_core_module $mods/mod_authz_core.so
LoadModule authz_host_module $mods/mod_authz_host.so
LoadModule mime_module $mods/mod_mime.so
LoadModule dir_module $mods/mod_dir.so
LoadModule headers_module $mods/mod_headers.so
LoadModule status_module $mods/mod_status.so
LoadModule socache_shmcb_module $mods/mod_socache_shmcb.so
LoadModule geotag_module $top/.libs/mod_geotag.so
TypesConfig /etc/mime.types
DirectoryIndex index.html
DocumentRoot "$top/t/htdocs/samples"
<Directory "$top/t/htdocs/samples">
    Require all granted
</Directory>
GeoTagDictionary "$top/conf/gazetteer.xml"
GeoTagSchema "$top/conf/gazetteer.rng"
GeoTagCache "shmcb:$dir/logs/geotag-cache(4194304)"
GeoTag On
LogFormat "%h %t \"%r\" %>s %b geotag=%{geotag-result}e mentions=%{geotag-mentions}e" geotag
CustomLog logs/access_log geotag
<Location /geotag-status>
    SetHandler geotag-status
    Require local
</Location>
CONF
/usr/sbin/apache2 -f "$dir/httpd.conf" -t >/dev/null
/usr/sbin/apache2 -f "$dir/httpd.conf" -k start
i=0
until curl -s -o /dev/null "http://127.0.0.1:$port/" 2>/dev/null || [ $i -ge 50 ]; do
    sleep 0.1; i=$((i + 1))
done
echo "mod_geotag demo on http://127.0.0.1:$port/"
echo "  articles:  http://127.0.0.1:$port/it-analisi.html  http://127.0.0.1:$port/en-analysis.html"
echo "  counters:  http://127.0.0.1:$port/geotag-status   (?json)"
echo "  log:       $dir/logs/access_log"
echo "  stop:      make demo-stop"
