# The Debian package, as an operator meets it (README, "Installing the
# Debian package"): `make deb`, lintian, `apt-get install ./….deb`, the
# module enabled through apache2-maintscript-helper, an Apache of its own
# started with apache2ctl (its own APACHE_CONFDIR, port, pid file and logs:
# the machine's Apache is never started, stopped or reconfigured), `GeoTag
# On` and `apache2ctl graceful`, a tagged page; then `apt-get purge` and
# nothing of the package left behind.
#
# Needs root (it installs a package); CI runs it as root on a fresh
# machine.  Whatever happens, the END block stops the test's Apache, purges
# the package and puts back what enabling the module changed, so the
# machine is left as it was found.  A machine whose Apache carries a `make
# install` of the module, or the package already, is refused: the test
# would overwrite or purge somebody's installation.
use strict;
use warnings;
use Test::More;
use Cwd qw(abs_path);
use File::Temp qw(tempdir);
use IO::Socket::INET;
use POSIX qw(WNOHANG);

my $top   = abs_path('.');
my $build = $ENV{GEOTAG_BUILD} || 'build';
my $pkg   = 'libapache2-mod-geotag';
my $mods  = '/etc/apache2/mods-enabled';
$ENV{DEBIAN_FRONTEND} = 'noninteractive';
$ENV{LC_ALL} = 'C';

# ------------------------------------------------------------------
# may this machine take the test?

BAIL_OUT('the package test installs a package: run it as root')
    if $> != 0;
BAIL_OUT("dpkg not found: the package test runs on Debian")
    unless -x '/usr/bin/dpkg';

sub owner
{
    my ($path) = @_;
    my $out = `dpkg-query -S '$path' 2>/dev/null`;
    return $? == 0 ? (split /:/, $out)[0] : undef;
}

# dpkg's status of the package ("ii ", "rc " ...), '' when it has none
# (never installed, or purged)
sub pkg_status
{
    my $s = `dpkg-query -W -f='\${db:Status-Abbrev}' $pkg 2>/dev/null`;
    return $? == 0 && $s !~ /^[up]n/ ? $s : '';
}

# A package already there (a site's, or one a failed run left, even as
# configuration files): purging it at the end would remove somebody's
# installation.
if (pkg_status() ne '') {
    BAIL_OUT("$pkg is installed on this machine (dpkg status '"
             . pkg_status() . "'): the package test installs and purges it. "
             . "Remove it first (apt-get purge $pkg) or run make test on "
             . "another machine.");
}

# Files of a `make install` (no package owns them): installing the package
# over them would silently replace the module and ask about the
# configuration files.
my @make_install = grep { -e $_ && !owner($_) }
    ('/usr/lib/apache2/modules/mod_geotag.so',
     '/etc/apache2/mods-available/geotag.load',
     '/etc/apache2/mods-available/geotag.conf',
     '/etc/apache2/geotag/gazetteer.xml',
     '/etc/apache2/geotag/gazetteer.rng',
     '/etc/apache2/geotag/lang');
if (@make_install) {
    BAIL_OUT("this machine's Apache carries a `make install` of mod_geotag "
             . "(files no package owns: @make_install). The package test "
             . "will not install over them. Clean up as README.md says "
             . "(\"From make install to the package\"): a2dismod geotag; "
             . "rm /usr/lib/apache2/modules/mod_geotag.so "
             . "/etc/apache2/mods-available/geotag.load "
             . "/etc/apache2/mods-available/geotag.conf; rm -r "
             . "/etc/apache2/geotag/gazetteer.xml "
             . "/etc/apache2/geotag/gazetteer.rng /etc/apache2/geotag/lang "
             . "(your own dictionaries stay); then run make test again.");
}

# ------------------------------------------------------------------
# the machine's state, put back by END whatever happens

# Everything under the Apache configuration and the maintainer scripts'
# records of what they enabled (apache2-maintscript-helper), by name and,
# for links, target.
sub apache_state
{
    my %state;
    for my $root ('/etc/apache2', '/var/lib/apache2') {
        open my $find, '-|', 'find', $root, '-printf', '%p %y %l\n'
            or die "find: $!";
        while (<$find>) {
            chomp;
            my ($path, $rest) = split / /, $_, 2;
            $state{$path} = $rest;
        }
        close $find;
    }
    return \%state;
}

my $before = apache_state();
my $tmp    = tempdir('geotag-package-XXXXXX', TMPDIR => 1, CLEANUP => 1);
chmod 0755, $tmp;
my $confdir = "$tmp/apache2";
my $started = 0;
my ($installed, $restored) = (0, 0);

sub apache2ctl
{
    my (@args) = @_;
    my $out = `APACHE_CONFDIR=$confdir apache2ctl @args 2>&1`;
    return ($? >> 8, $out);
}

sub stop_apache
{
    return unless $started;
    apache2ctl('-k', 'stop');
    for (1 .. 50) {
        last unless -e "$tmp/run/apache2.pid";
        select undef, undef, undef, 0.1;
    }
    $started = 0;
}

# Purging the package runs `a2dismod geotag`, which leaves the modules
# geotag's "# Depends:" line enabled (Debian's a2dismod does not follow
# dependencies): what the test's install enabled and the machine did not
# have is disabled again, through a2dismod, as the maintainer scripts do.
sub restore_modules
{
    return if !$before || $restored++;
    for my $load (sort glob "$mods/*.load") {
        my ($name) = $load =~ m{([^/]+)\.load$};
        next if exists $before->{$load};
        system("a2dismod -q -f $name >/dev/null 2>&1");
    }
    # the records of those modules (enabled_by_maint, disabled_by_admin),
    # and the record directories the helper created for them (apache2's,
    # none of the package's files)
    for my $path (reverse sort keys %{apache_state()}) {
        next if exists $before->{$path};
        unlink $path if $path =~ m{^/var/lib/apache2/module/[^/]+/[^/]+$};
        rmdir $path if $path =~ m{^/var/lib/apache2/module/[^/]+$};
    }
}

sub purge
{
    system("apt-get purge -y -q $pkg >$tmp/purge.log 2>&1");
    $installed = 0;
    return $? == 0;
}

END {
    my $rc = $?;
    stop_apache();
    if ($installed) {
        diag("the test ends early: purging $pkg");
        purge();
    }
    restore_modules();
    $? = $rc;
}
$SIG{INT} = $SIG{TERM} = sub { exit 1 };

# ------------------------------------------------------------------
# build, lintian, install

my ($version) = `sed -n '1s/^[^(]*(\\([^)]*\\)).*/\\1/p' debian/changelog`
    =~ /(\S+)/;
ok(defined $version, "the version from debian/changelog: $version");
my $arch = `dpkg --print-architecture`;
chomp $arch;
my $deb = "${pkg}_${version}_$arch.deb";

my $make = `make -s deb BUILD=$build 2>&1`;
ok($? == 0 && -f $deb, "make deb builds $deb") or diag($make);

my $lintian = `lintian --fail-on error --display-level '>=pedantic' --display-experimental ./$deb 2>&1`;
my $lintian_rc = $? >> 8;
$lintian =~ s/^running with root privileges is not recommended!\n//m;
ok($lintian_rc == 0 && $lintian !~ /^E: /m, 'lintian reports no errors');
diag("lintian:\n" . ($lintian =~ /\S/ ? $lintian : "(nothing to report)\n"));

# apt-get, as the README says: it installs what the package depends on
$installed = 1;
my $apt = `apt-get install -y -q ./$deb 2>&1`;
ok($? == 0 && pkg_status() =~ /^ii/, "apt-get install ./$deb")
    or BAIL_OUT("the install failed:\n$apt");

my @files = grep { length } split /\n/, `dpkg -L $pkg`;
my %listed = map { $_ => 1 } @files;
for my $want ('/usr/lib/apache2/modules/mod_geotag.so',
              '/etc/apache2/mods-available/geotag.load',
              '/etc/apache2/mods-available/geotag.conf',
              '/usr/share/mod-geotag/gazetteer.xml',
              '/usr/share/mod-geotag/lang/en.xml',
              '/usr/share/mod-geotag/lang/it.xml',
              '/etc/apache2/geotag',
              '/usr/bin/geotag',
              '/usr/share/man/man1/geotag.1.gz',
              "/usr/share/doc/$pkg/copyright",
              "/usr/share/doc/$pkg/gazetteer.rng") {
    ok($listed{$want}, "the package ships $want");
}
my @schemas = grep { /\.rng/ && !m{^/usr/share/doc/} } @files;
is("@schemas", '', 'no schema file besides the documentation copy');

my $conffiles = `dpkg-query -W -f='\${Conffiles}' $pkg`;
like($conffiles, qr{/etc/apache2/mods-available/geotag\.conf},
     'geotag.conf is a conffile');
unlike($conffiles, qr{/usr/share/mod-geotag},
       'the dictionary and packs are not conffiles');

like(`grep -h '^# Depends:' /etc/apache2/mods-available/geotag.load`,
     qr/^# Depends: socache_shmcb$/m, 'geotag.load declares socache_shmcb');
ok(-l "$mods/geotag.load" && -l "$mods/geotag.conf",
   'the install enabled the module (mods-enabled/geotag.load, .conf)');
ok(-l "$mods/socache_shmcb.load", 'and socache_shmcb, its dependency');
ok(-e '/var/lib/apache2/module/enabled_by_maint/geotag',
   'through apache2-maintscript-helper (enabled_by_maint/geotag)');

is(`/usr/bin/geotag --version`, "geotag $version\n",
   'geotag --version is the package version');
like(`/usr/bin/geotag --check /usr/share/mod-geotag/gazetteer.xml 2>&1`,
     qr/entities, .* forms: OK/,
     'geotag --check validates the default dictionary, schema built in');

# ------------------------------------------------------------------
# an Apache of the test's own, on a free port, through apache2ctl

sub free_port
{
    for my $port (8690 .. 8790) {
        my $s = IO::Socket::INET->new(LocalAddr => '127.0.0.1',
                                      LocalPort => $port, Proto => 'tcp',
                                      ReuseAddr => 1, Listen => 1);
        next unless $s;
        close $s;
        return $port;
    }
    die "no free port in 8690-8790";
}

sub write_file
{
    my ($path, $text) = @_;
    open my $fh, '>', $path or die "$path: $!";
    print $fh $text;
    close $fh or die "$path: $!";
}

sub get
{
    my ($url) = @_;
    my $out = `curl -s -S -D $tmp/headers -o $tmp/body --max-time 20 '$url' 2>&1`;
    my $rc = $?;
    local $/;
    open my $h, '<', "$tmp/headers" or return ('', '', $out);
    my $headers = <$h>;
    open my $b, '<', "$tmp/body" or return ($headers, '', $out);
    my $body = <$b>;
    return ($headers, $body, $rc ? $out : '');
}

my $port = free_port();
mkdir $_ or die "$_: $!" for ($confdir, "$tmp/run", "$tmp/lock", "$tmp/log",
                              "$tmp/htdocs", "$tmp/htdocs/articles",
                              "$tmp/dict");
chmod 0755, "$tmp/htdocs", "$tmp/htdocs/articles", "$tmp/dict";
# apache2ctl reads envvars from APACHE_CONFDIR: every path of the machine's
# instance (pid file, run, lock and log directories) is the test's own
write_file("$confdir/envvars", <<"ENV");
unset HOME
export APACHE_RUN_USER=www-data
export APACHE_RUN_GROUP=www-data
export APACHE_PID_FILE=$tmp/run/apache2.pid
export APACHE_RUN_DIR=$tmp/run
export APACHE_LOCK_DIR=$tmp/lock
export APACHE_LOG_DIR=$tmp/log
export LANG=C
ENV
# the module through mods-enabled, where the package's install put it
write_file("$confdir/apache2.conf", <<"CONF");
DefaultRuntimeDir \${APACHE_RUN_DIR}
PidFile \${APACHE_PID_FILE}
Mutex file:\${APACHE_LOCK_DIR} default
User \${APACHE_RUN_USER}
Group \${APACHE_RUN_GROUP}
ErrorLog \${APACHE_LOG_DIR}/error.log
LogLevel info
Listen 127.0.0.1:$port
ServerName 127.0.0.1:$port
Include /etc/apache2/mods-available/mpm_event.load
Include /etc/apache2/mods-available/authz_core.load
Include /etc/apache2/mods-available/mime.load
TypesConfig /etc/mime.types
Include $mods/socache_shmcb.load
Include $mods/geotag.load
Include $mods/geotag.conf
DocumentRoot $tmp/htdocs
<Directory $tmp/htdocs>
    Require all granted
</Directory>
IncludeOptional $confdir/site.conf
CONF
# a site's own dictionary beside the default one: no schema file anywhere
system('cp', "$top/t/unit/data/entities-only.xml", "$tmp/dict/local.xml");
chmod 0644, "$tmp/dict/local.xml";
system('cp', "$top/t/htdocs/samples/en-analysis.html",
       "$tmp/htdocs/articles/analysis.html");
write_file("$tmp/htdocs/articles/local.html", <<'HTML');
<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Envoys</title></head>
<body><article><h1>Envoys</h1>
<p>Vladimir Putin received the envoy of Freedonia in Moscow.</p>
</article></body></html>
HTML
chmod 0644, glob "$tmp/htdocs/articles/*";

my ($rc, $out) = apache2ctl('configtest');
is($rc, 0, 'apache2ctl configtest') or diag($out);
($rc, $out) = apache2ctl('-k', 'start');
$started = 1;
is($rc, 0, "apache2ctl -k start (APACHE_CONFDIR=$confdir, port $port)")
    or diag($out);
my $up = 0;
for (1 .. 100) {
    last if ($up = IO::Socket::INET->new("127.0.0.1:$port"));
    select undef, undef, undef, 0.1;
}
ok($up, 'the server answers');

my $url = "http://127.0.0.1:$port/articles/analysis.html";
my ($headers, $body, $error) = get($url);
like($headers, qr{^HTTP/1\.1 200}, 'the sample article is served') or diag($error);
unlike($body, qr/id="geotag-jsonld"/, 'untagged while GeoTag is off');
like($headers, qr{^Server: .*mod_geotag/\Q$version\E}m,
     "the module's version is in the Server header (mod_geotag/$version)");

# GeoTag On in a location, apache2ctl graceful: the README's last step
write_file("$confdir/site.conf", <<"CONF");
GeoTagDictionary /usr/share/mod-geotag/gazetteer.xml
GeoTagDictionary $tmp/dict/local.xml
<Location "/articles/">
    GeoTag On
</Location>
CONF
($rc, $out) = apache2ctl('graceful');
is($rc, 0, 'GeoTag On, apache2ctl graceful') or diag($out);
my $tagged = 0;
for (1 .. 100) {
    ($headers, $body) = get($url);
    last if ($tagged = $body =~ /id="geotag-jsonld"/);
    select undef, undef, undef, 0.1;
}
ok($tagged, 'the article is tagged after the graceful restart');
like($body, qr{<span data-geotag="Person Q7747">Vladimir Putin</span>},
     'entity markup');
like($body, qr{<script type="application/ld\+json" id="geotag-jsonld"},
     'the JSON-LD block');
my $expected = `/usr/bin/geotag --dict /usr/share/mod-geotag/gazetteer.xml --dict $tmp/dict/local.xml --url '$url' < $tmp/htdocs/articles/analysis.html`;
ok($? == 0 && $body eq $expected,
   'the body is what the packaged geotag command writes for the page');

($headers, $body) = get("http://127.0.0.1:$port/articles/local.html");
like($body, qr{<span data-geotag="Country [^"]+">Freedonia</span>},
     "the site's own dictionary is used, with no schema file on the machine");

my $log = do { local (@ARGV, $/) = "$tmp/log/error.log"; <ARGV> // '' };
like($log, qr/GT003.*mod_geotag \Q$version\E, dictionary /,
     'the startup log line names the version');
unlike($log, qr/\] \[geotag:(emerg|alert|crit|error)\]/,
       'no module error in the log');

stop_apache();
ok(!-e "$tmp/run/apache2.pid", 'apache2ctl -k stop');

# ------------------------------------------------------------------
# purge: nothing left behind

ok(purge(), "apt-get purge $pkg")
    or diag(do { local (@ARGV, $/) = "$tmp/purge.log"; <ARGV> // '' });
is(pkg_status(), '', 'dpkg has forgotten the package (no config-files left)');
my @left;
for my $path (@files) {
    next if $path eq '/.';
    next unless -e $path || -l $path;
    # a directory other packages own too stays, and one that was there
    # before (/etc/apache2/geotag with a site's own dictionaries)
    next if -d $path && !-l $path && (owner($path) || $before->{$path});
    push @left, $path;
}
is("@left", '', 'every file and directory of the package is gone');
my @enabled = grep { -e $_ || -l $_ }
    ("$mods/geotag.load", "$mods/geotag.conf",
     glob('/var/lib/apache2/module/*/geotag'));
is("@enabled", '', 'the module is disabled and its records are gone');

sub changes
{
    my $after = apache_state();
    my %seen;
    return sort grep {
        !$seen{$_}++
            && (!exists $after->{$_} || !exists $before->{$_}
                || $after->{$_} ne $before->{$_})
    } (keys %$before, keys %$after);
}

# what purging leaves by Debian's design: the modules of geotag.load's
# "# Depends:" line enabled, with their records
my @deps = map { /^# Depends:\s*(.*)/ ? split(/[\s,]+/, $1) : () }
    split /\n/, do { local (@ARGV, $/) = "$top/conf/geotag.load"; <ARGV> };
my $dep_re = join '|', map { quotemeta } @deps;
my @other = grep { !m{/(?:$dep_re)(?:\.load|\.conf)?$}
                   && !m{^/var/lib/apache2/module/[^/]+$} } changes();
is("@other", '', "purged, nothing else changed in /etc/apache2 and "
   . "/var/lib/apache2 but the modules geotag depends on (@deps)");
restore_modules();
my @changed = changes();
is("@changed", '', '/etc/apache2 and /var/lib/apache2 are as they were');

done_testing();
