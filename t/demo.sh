#!/bin/sh
# t/demo.sh BUILD — the README's quick start: a local Apache on 127.0.0.1
# with mod_geotag serving the sample articles, tagged on the fly.
#   sh t/demo.sh build          start it (prints the URLs)
#   sh t/demo.sh build stop     stop it
# Each article is served twice: as readers get it (/samples/NAME, the URL
# the sample pages link each other and their stylesheet and image by), and
# with the editor preview (/preview/NAME: GeoTagPreview, for local clients
# only, which stand in for a site's editors behind their login).
# Its configuration is the common one of every private httpd
# (t/conf/private-httpd.conf.tmpl, which the server tests fill in through
# t/lib/GeotagHttpd.pm) followed by the demo's own part.
set -eu
build=${1:-build}
top=$(pwd)
dir="$top/$build/demo"
port=${GEOTAG_DEMO_PORT:-8080}
mods=/usr/lib/apache2/modules
mkdir -p "$dir/logs"
if [ "${2:-}" = stop ]; then
    [ -f "$dir/httpd.pid" ] && /usr/sbin/apache2 -f "$dir/httpd.conf" -k stop && echo "demo stopped"
    exit 0
fi
if [ -f "$dir/httpd.pid" ] && kill -0 "$(cat "$dir/httpd.pid")" 2>/dev/null; then
    /usr/sbin/apache2 -f "$dir/httpd.conf" -k stop || true
    sleep 1
fi
user_lines=""
if [ "$(id -u)" -eq 0 ]; then
    user_lines="User nobody
Group nogroup"
fi
load_modules=""
for m in mpm_event authz_core mime headers authz_host dir status socache_shmcb \
         alias env; do
    load_modules="$load_modules${load_modules:+
}LoadModule ${m}_module $mods/mod_$m.so"
done
# t/conf/fill.sh fills in every @NAME@ from $TMPL_NAME.
TMPL_PURPOSE="written by t/demo.sh" TMPL_DIR="$dir" TMPL_TOP="$top" \
TMPL_SERVER_NAME=127.0.0.1 TMPL_LISTEN="Listen 127.0.0.1:$port" \
TMPL_LOG_LEVEL="warn geotag:info" TMPL_USER="$user_lines" \
TMPL_LOAD_MODULES="$load_modules" TMPL_MODULE_SO="$top/.libs/mod_geotag.so" \
TMPL_DICTIONARY="$top/conf/gazetteer.xml" \
sh "$top/t/conf/fill.sh" "$top/t/conf/private-httpd.conf.tmpl" > "$dir/httpd.conf"
cat >> "$dir/httpd.conf" <<CONF
DirectoryIndex index.html
DocumentRoot "$top/t/htdocs/samples"
<Directory "$top/t/htdocs/samples">
    Require all granted
</Directory>
# the pages link /samples/sample.css, /samples/harbour.svg, /samples/NAME
Alias /samples/ "$top/t/htdocs/samples/"
# the same articles with the editor preview; on a real site this sits
# behind the editors' login (docs/directives.md, GeoTagPreview)
Alias /preview/ "$top/t/htdocs/samples/"
<Location /preview/>
    Require local
    GeoTagPreview env=geotag-preview
    SetEnv geotag-preview 1
</Location>
GeoTagCache "shmcb:$dir/logs/geotag-cache(4194304)"
GeoTag On
LogFormat "%h %t \"%r\" %>s %b geotag=%{geotag-result}e mentions=%{geotag-mentions}e" geotag
CustomLog logs/access_log geotag
<Location /geotag-status>
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
echo "  index:     http://127.0.0.1:$port/"
for a in it-analisi en-analysis; do
    echo "  $a:  http://127.0.0.1:$port/samples/$a.html   preview: http://127.0.0.1:$port/preview/$a.html"
done
echo "  counters:  http://127.0.0.1:$port/geotag-status   (?json)"
echo "  log:       $dir/logs/access_log"
echo "  stop:      make demo-stop"
