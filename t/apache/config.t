# Configuration errors are caught by `apache2 -t`, with clear messages.
use strict;
use warnings FATAL => 'all';
use Apache::Test;
use Apache::TestUtil;
use Cwd qw(abs_path);
use File::Temp qw(tempdir);

plan tests => 38, need_module 'mod_geotag.c';

my $top = abs_path('.');
my $dir = tempdir(CLEANUP => 1);
my $mods = '/usr/lib/apache2/modules';

sub check {
    my ($extra) = @_;
    my $conf = "$dir/httpd.conf";
    open my $fh, '>', $conf or die;
    print $fh <<"CONF";
ServerRoot $dir
Listen 127.0.0.1:1
ErrorLog $dir/error_log
PidFile $dir/httpd.pid
LoadModule mpm_event_module $mods/mod_mpm_event.so
LoadModule authz_core_module $mods/mod_authz_core.so
LoadModule socache_shmcb_module $mods/mod_socache_shmcb.so
LoadModule geotag_module $top/.libs/mod_geotag.so
GeoTagLanguagePacks $top/conf/lang
$extra
CONF
    close $fh;
    my $out = `/usr/sbin/apache2 -t -f $conf 2>&1`;
    return ($? >> 8, $out);
}

my ($rc, $out) = check("GeoTagDictionary $top/conf/gazetteer.xml\nGeoTag On");
ok t_cmp($rc, 0, 'a good configuration passes -t');
ok t_cmp($out, qr/Syntax OK/, 'Syntax OK');

open my $bad, '>', "$dir/bad.xml" or die;
print $bad qq{<?xml version="1.0"?>\n<gazetteer xmlns="urn:mod-geotag:gazetteer:1">\n<entity id="Q1" type="Country">\n<name lang="it">X</name>\n<alias case="loud">Y</alias>\n</entity>\n</gazetteer>\n};
close $bad;
($rc, $out) = check("GeoTagDictionary $dir/bad.xml");
ok t_cmp($rc != 0, 1, 'a broken dictionary fails -t');
ok t_cmp($out, qr{GT001: GeoTagDictionary: \Q$dir\E/bad\.xml:5: .*case}, 'with file:line and the reason');

# libxml2 reports a bad attribute of an element with others first without a line.
open $bad, '>', "$dir/badlang.xml" or die;
print $bad qq{<?xml version="1.0"?>\n<gazetteer xmlns="urn:mod-geotag:gazetteer:1">\n<entity id="Q1" type="Country">\n<name lang="en" wikipedia="X">X</name>\n<name lang="it_IT" wikipedia="Y">Y</name>\n</entity>\n</gazetteer>\n};
close $bad;
($rc, $out) = check("GeoTagDictionary $dir/badlang.xml");
ok t_cmp($rc != 0, 1, 'a dictionary with a bad lang fails -t');
ok t_cmp($out, qr{GT001: GeoTagDictionary: \Q$dir\E/badlang\.xml:5: .*lang}, 'with file:line and the reason');

($rc, $out) = check("GeoTagDictionary $dir/missing.xml");
ok t_cmp($rc != 0, 1, 'a missing dictionary fails -t');
ok t_cmp($out, qr{missing\.xml}, 'naming the file');

($rc, $out) = check("GeoTagDictionary $top/conf/gazetteer.xml\nGeoTagCache nosuch:x");
ok t_cmp($rc != 0, 1, 'an unknown cache provider fails -t');
ok t_cmp($out, qr{GeoTagCache.*nosuch.*shmcb}s, 'and lists the known providers');

($rc, $out) = check("GeoTagDictionary $top/conf/gazetteer.xml\nGeoTagScope [role=");
ok t_cmp($rc != 0, 1, 'a bad GeoTagScope fails -t');

($rc, $out) = check("GeoTagDictionary $top/conf/gazetteer.xml\nGeoTagTypes actors lizards");
ok t_cmp($out, qr{GeoTagTypes: unknown kind "lizards"}, 'a bad GeoTagTypes names the word');

($rc, $out) = check("GeoTagDictionary $top/conf/gazetteer.xml\n<VirtualHost *:1>\nGeoTagCache none\n</VirtualHost>");
ok t_cmp($rc != 0, 1, 'GeoTagCache inside a virtual host is refused');

($rc, $out) = check("GeoTagDictionary $top/conf/gazetteer.xml\nGeoTagCacheTTL 0");
ok t_cmp($out, qr{GeoTagCacheTTL}, 'a bad TTL is refused');

($rc, $out) = check("GeoTagDictionary $top/conf/gazetteer.xml\nGeoTagCacheMemory 12MB");
ok t_cmp($rc != 0, 1, 'a bad GeoTagCacheMemory fails -t');
ok t_cmp($out, qr{GeoTagCacheMemory: bytes per child process}, 'saying what it takes');

($rc, $out) = check("GeoTagDictionary $top/conf/gazetteer.xml\nGeoTagCacheMemory 16M\n"
                    . "<VirtualHost *:1>\nGeoTagCacheMemory 0\n</VirtualHost>");
ok t_cmp($rc != 0, 1, 'GeoTagCacheMemory inside a virtual host is refused');

($rc, $out) = check("GeoTagDictionary $top/conf/gazetteer.xml\nGeoTagCacheMemory 512k");
ok t_cmp($rc, 0, 'GeoTagCacheMemory 512k passes -t');

# GeoTagCacheSecret: 16 characters or more, given or read from a file
($rc, $out) = check("GeoTagDictionary $top/conf/gazetteer.xml\nGeoTagCacheSecret short");
ok t_cmp($rc != 0, 1, 'a GeoTagCacheSecret under 16 characters fails -t');
ok t_cmp($out, qr{GeoTagCacheSecret: at least 16 characters}, 'saying what it takes');
($rc, $out) = check("GeoTagDictionary $top/conf/gazetteer.xml\nGeoTagCacheSecret file:$dir/no-such-secret");
ok t_cmp($out, qr{GeoTagCacheSecret: cannot read \Q$dir\E/no-such-secret}, 'a missing secret file is named');
{
    open my $fh, '>', "$dir/secret" or die;
    print $fh "a secret of the farm, in a file\n";
    close $fh;
}
($rc, $out) = check("GeoTagDictionary $top/conf/gazetteer.xml\nGeoTagCacheSecret file:$dir/secret");
ok t_cmp($rc, 0, 'a secret read from a file passes -t');
($rc, $out) = check("GeoTagDictionary $top/conf/gazetteer.xml\n<VirtualHost *:1>\n"
                    . "GeoTagCacheSecret 0123456789abcdefgh\n</VirtualHost>");
ok t_cmp($rc != 0, 1, 'GeoTagCacheSecret inside a virtual host is refused');

# GeoTagLanguagePacks: the packs are loaded whatever the dictionary is
($rc, $out) = check("GeoTagDictionary $top/t/unit/data/entities-only.xml\n"
                    . "GeoTagLanguagePacks $top/t/unit/data/lang-fr");
ok t_cmp($rc, 0, 'another packs directory passes -t');
($rc, $out) = check("GeoTagDictionary $top/conf/gazetteer.xml\nGeoTagLanguagePacks $dir/no-packs");
ok t_cmp($rc != 0, 1, 'a missing packs directory fails -t');
ok t_cmp($out, qr{GT001: .*\Q$dir\E/no-packs: cannot read the language packs directory},
         'naming it');
mkdir "$dir/packs" or die;
{
    open my $fh, '>', "$dir/packs/it.xml" or die;
    print $fh qq{<?xml version="1.0"?>\n<language-pack xmlns="urn:mod-geotag:gazetteer:1" lang="it">\n}
            . qq{<month number="13">tredicembre</month>\n</language-pack>\n};
    close $fh;
}
($rc, $out) = check("GeoTagDictionary $top/conf/gazetteer.xml\nGeoTagLanguagePacks $dir/packs");
ok t_cmp($rc != 0, 1, 'a broken pack fails -t');
ok t_cmp($out, qr{GT001: .*\Q$dir\E/packs/it\.xml:3: .*month}, 'with file:line and the reason');
($rc, $out) = check("GeoTagDictionary $top/conf/gazetteer.xml\n<VirtualHost *:1>\n"
                    . "GeoTagLanguagePacks $dir/packs\n</VirtualHost>");
ok t_cmp($rc != 0, 1, 'a broken pack of a virtual host fails -t');
ok t_cmp($out, qr{\Q$dir\E/packs/it\.xml:3: }, 'the same way');

# The schema is built in: a site's own dictionary, alone in a directory with
# no schema file (and none configured), validates; GeoTagSchema still
# overrides the built-in schema.
mkdir "$dir/site" or die;
{
    open my $in, '<', "$top/t/unit/data/entities-only.xml" or die;
    open my $out, '>', "$dir/site/local.xml" or die;
    print $out $_ while <$in>;
    close $out;
}
my @rng = glob("$dir/site/*.rng $dir/*.rng");
ok t_cmp("@rng", '', 'no schema file beside the dictionary');
($rc, $out) = check("GeoTagDictionary $top/conf/gazetteer.xml
"
                    . "GeoTagDictionary $dir/site/local.xml");
ok t_cmp($rc, 0, 'a custom dictionary passes -t with the built-in schema');
open $bad, '>', "$dir/site/bad.xml" or die;
print $bad qq{<?xml version="1.0"?>\n<gazetteer xmlns="urn:mod-geotag:gazetteer:1">\n<entity id="Q1" type="Country">\n<name lang="it">X</name>\n<colour>red</colour>\n</entity>\n</gazetteer>\n};
close $bad;
($rc, $out) = check("GeoTagDictionary $dir/site/bad.xml");
ok t_cmp($rc != 0, 1, 'the built-in schema refuses an invalid dictionary');
ok t_cmp($out, qr{GT001: GeoTagDictionary: \Q$dir\E/site/bad\.xml:5: .*colour},
         'with file:line and the reason');

# a schema of the site's that allows only language packs refuses the
# dictionary the built-in one accepted
{
    open my $in, '<', "$top/conf/gazetteer.rng" or die;
    local $/;
    my $rng = <$in>;
    $rng =~ s{<ref name="gazetteer"/>}{} or die 'no <ref name="gazetteer"/>';
    open my $out, '>', "$dir/packs-only.rng" or die;
    print $out $rng;
    close $out;
}
($rc, $out) = check("GeoTagSchema $dir/packs-only.rng
"
                    . "GeoTagDictionary $dir/site/local.xml");
ok t_cmp($rc != 0, 1, 'GeoTagSchema overrides the built-in schema');
ok t_cmp($out, qr{GT001: GeoTagDictionary: \Q$dir\E/site/local\.xml:\d+: .*gazetteer},
         'its verdict, with file:line');
($rc, $out) = check("GeoTagSchema $top/conf/gazetteer.rng
"
                    . "GeoTagDictionary $dir/site/local.xml");
ok t_cmp($rc, 0, 'GeoTagSchema naming the shipped schema passes -t');
($rc, $out) = check("GeoTagSchema $dir/no-such.rng
"
                    . "GeoTagDictionary $dir/site/local.xml");
ok t_cmp($out, qr{GT001: .*\Q$dir\E/no-such\.rng}, 'a missing GeoTagSchema file is named');
