# Helpers for the farm cache tests (t/apache/farm.t): a real memcached or
# redis-server and private httpds sharing it, all on 127.0.0.1.
#
#   use lib 't/lib';
#   use GeotagFarm qw(start_daemon stop_daemon start_httpd stop_httpd ...);
#
# Every daemon is run in the foreground of a child of the test, every httpd
# has its pid file in its own directory: stop_all() (also run from an END
# block and on SIGINT/SIGTERM/SIGALRM) kills whatever is still running, so
# a failing or dying test leaves nothing behind.
#
# The raw side of the cache, for tests that look at or tamper with entries
# in the daemon itself:
#
#   farm_key($provider, $hex20)  the daemon's key for a 20-byte GEOTAG key
#   farm_get($daemon, $key)      the value stored there, or undef
#   farm_set($daemon, $key, $value, $ttl)
#
# mod_socache_memcache and mod_socache_redis both name an entry
# "NAMESPACE:" followed by the id in lowercase hex (ap_bin2hex); GEOTAG's
# namespace is "geotag" (mod_geotag_cache.c, GEOTAG_CACHE_CNAME) and its id
# the 20-byte SHA-1 of the request's representation, so the daemon's key is
# "geotag:" and 40 hex digits.  The value is the serialized entry, as is.
#
# No CPAN modules: memcached's text protocol and redis' RESP are spoken
# over a plain IO::Socket::INET.
package GeotagFarm;
use strict;
use warnings FATAL => 'all';
use Exporter 'import';
use IO::Socket::INET;
use POSIX ();
use Time::HiRes qw(time sleep);
use GeotagHttpd qw(private_config httpd_binary module_so free_port stop_server);

our @EXPORT_OK = qw(
    free_port wait_port
    start_daemon stop_daemon daemon_running
    start_httpd stop_httpd httpd_error_log
    farm_key farm_get farm_set farm_config
    stop_all httpd_binary module_so
);

my $owner = $$;          # only the process that started things stops them
my %daemons;             # "$kind:$port" => daemon hash, while running
my %httpds;              # conf path => pid file, while running

# httpd_binary() and module_so($top), the httpd and the module under test
# (GEOTAG_HTTPD, GEOTAG_MODULE_SO under make asan), are GeotagHttpd's,
# exported from here too.

# True once something accepts connections on 127.0.0.1:$port (waits up to
# $seconds, default 10).
sub wait_port {
    my ($port, $seconds) = @_;
    my $until = time + ($seconds // 10);
    while (time < $until) {
        my $s = IO::Socket::INET->new(PeerAddr => '127.0.0.1', PeerPort => $port,
                                      Proto => 'tcp', Timeout => 1);
        if ($s) { close $s; return 1 }
        sleep 0.05;
    }
    return 0;
}

# ------------------------------------------------------------------
# the cache daemons

# The command line of a daemon on 127.0.0.1:$port, in the foreground.
sub daemon_command {
    my ($kind, $port, $dir) = @_;
    if ($kind eq 'memcache') {
        my @user = $> == 0 ? ('-u', 'nobody') : ();
        return ('memcached', '-l', '127.0.0.1', '-p', $port, '-U', '0',
                '-m', '16', '-c', '256', @user);
    }
    if ($kind eq 'redis') {
        # no persistence: nothing is saved, nothing is loaded at a restart
        return ('redis-server', '--bind', '127.0.0.1', '--port', $port,
                '--save', '', '--appendonly', 'no', '--daemonize', 'no',
                '--protected-mode', 'yes', '--dir', $dir,
                '--logfile', "$dir/redis-$port.log");
    }
    die "unknown cache daemon '$kind'\n";
}

# Starts the daemon for $kind ('memcache' or 'redis') on $port (a free one
# if undef), its files in $dir.  Returns a handle for stop_daemon and the
# farm_* helpers, or dies (the binary missing included: the tests need it).
sub start_daemon {
    my ($kind, $dir, $port) = @_;
    $port //= free_port();
    my @cmd = daemon_command($kind, $port, $dir);
    my $found = grep { -x "$_/$cmd[0]" } split /:/, ($ENV{PATH} // '') . ':/usr/bin:/usr/sbin';
    die "$cmd[0] is not installed (make test installs it: t/deps.sh test)\n" unless $found;
    my $pid = fork;
    die "fork: $!" unless defined $pid;
    if ($pid == 0) {
        open STDIN, '<', '/dev/null';
        open STDOUT, '>>', "$dir/$kind-$port.out";
        open STDERR, '>&', \*STDOUT;
        { no warnings "exec"; exec { $cmd[0] } @cmd; }
        POSIX::_exit(127);
    }
    my $d = { kind => $kind, port => $port, pid => $pid, dir => $dir };
    $daemons{"$kind:$port"} = $d;
    unless (wait_port($port, 10)) {
        stop_daemon($d);
        die "$cmd[0] did not come up on 127.0.0.1:$port (see $dir/$kind-$port.out)\n";
    }
    return $d;
}

sub daemon_running {
    my ($d) = @_;
    return $d->{pid} && waitpid($d->{pid}, POSIX::WNOHANG()) == 0;
}

# Stops the daemon (TERM, then KILL after 5 s) and reaps it.  The handle
# can be given to start_daemon's port again: $d = start_daemon($kind, $dir,
# $d->{port}).
sub stop_daemon {
    my ($d) = @_;
    return unless $d && $d->{pid};
    kill 'TERM', $d->{pid};
    my $until = time + 5;
    while (time < $until) {
        last if waitpid($d->{pid}, POSIX::WNOHANG()) != 0;
        sleep 0.05;
    }
    if (kill 0, $d->{pid}) {
        kill 'KILL', $d->{pid};
        waitpid $d->{pid}, 0;
    }
    delete $daemons{"$d->{kind}:$d->{port}"};
    $d->{pid} = undef;
}

# ------------------------------------------------------------------
# raw access to the entries

# The daemon-side key of a GEOTAG cache key: $hex20 is the 20-byte key in
# hex (40 digits, either case) or the 20 raw bytes.  Same for both
# providers: "geotag:" + lowercase hex.
sub farm_key {
    my ($provider, $key) = @_;
    die "farm_key: unknown provider '$provider'\n"
        unless $provider eq 'memcache' || $provider eq 'redis';
    $key = unpack 'H*', $key if length $key == 20;
    die "farm_key: '$key' is not 20 bytes in hex\n" unless $key =~ /\A[0-9a-fA-F]{40}\z/;
    return 'geotag:' . lc $key;
}

sub connect_daemon {
    my ($d) = @_;
    my $s = IO::Socket::INET->new(PeerAddr => '127.0.0.1', PeerPort => $d->{port},
                                  Proto => 'tcp', Timeout => 5)
        or die "cannot connect to $d->{kind} on 127.0.0.1:$d->{port}: $!\n";
    binmode $s;
    return $s;
}

# Reads exactly $n bytes.
sub read_n {
    my ($s, $n) = @_;
    my $buf = '';
    while (length $buf < $n) {
        my $got = read $s, $buf, $n - length $buf, length $buf;
        die "connection closed by the cache daemon\n" unless $got;
    }
    return $buf;
}

sub read_line {
    my ($s) = @_;
    local $/ = "\r\n";
    my $line = <$s>;
    die "connection closed by the cache daemon\n" unless defined $line;
    $line =~ s/\r\n\z//;
    return $line;
}

# The raw value of $key in the daemon $d (a start_daemon handle), undef when
# there is none.
sub farm_get {
    my ($d, $key) = @_;
    my $s = connect_daemon($d);
    if ($d->{kind} eq 'memcache') {
        print $s "get $key\r\n";
        my $line = read_line($s);
        return undef if $line eq 'END';
        $line =~ /\AVALUE \S+ \d+ (\d+)\z/ or die "memcached: unexpected reply '$line'\n";
        my $value = read_n($s, $1);
        read_n($s, 2);                          # \r\n
        my $end = read_line($s);
        die "memcached: unexpected reply '$end'\n" unless $end eq 'END';
        return $value;
    }
    print $s resp('GET', $key);
    my $line = read_line($s);
    return undef if $line eq '$-1';
    $line =~ /\A\$(\d+)\z/ or die "redis: unexpected reply '$line'\n";
    my $value = read_n($s, $1);
    read_n($s, 2);
    return $value;
}

# Stores $value under $key, for $ttl seconds (default 3600).  Dies unless
# the daemon says it stored it.
sub farm_set {
    my ($d, $key, $value, $ttl) = @_;
    $ttl //= 3600;
    my $s = connect_daemon($d);
    if ($d->{kind} eq 'memcache') {
        printf $s "set %s 0 %d %d\r\n", $key, $ttl, length $value;
        print $s $value, "\r\n";
        my $line = read_line($s);
        die "memcached: set $key: '$line'\n" unless $line eq 'STORED';
        return 1;
    }
    print $s resp('SET', $key, $value, 'EX', $ttl);
    my $line = read_line($s);
    die "redis: SET $key: '$line'\n" unless $line eq '+OK';
    return 1;
}

# A RESP array of bulk strings.
sub resp {
    my @args = @_;
    return join '', '*' . @args . "\r\n", map { '$' . length($_) . "\r\n$_\r\n" } @args;
}

# ------------------------------------------------------------------
# private httpds

# The configuration of one member of a farm sharing GeoTagCache $provider
# on 127.0.0.1:$cache_port: $top is the tree, $dir the server's own
# directory, $port where it listens; $extra is appended.  Every member
# has the same ServerName, as behind one load balancer.
sub farm_config {
    my ($top, $provider, $dir, $port, $cache_port, $extra) = @_;
    $extra //= '';
    my %socache_module = (memcache => 'socache_memcache', redis => 'socache_redis');
    my $sm = $socache_module{$provider} or die "farm_config: unknown provider '$provider'\n";
    return private_config(
        dir => $dir, top => $top, ports => [$port], modules => [$sm],
        server_name => 'farm.example.test:80',
        purpose => "farm.t: one member of a farm sharing GeoTagCache $provider (written by the test)",
        body => <<"CONF");
StartServers 1
ServerLimit 2
ThreadsPerChild 8
MinSpareThreads 1
MaxSpareThreads 16
MaxRequestWorkers 16
GracefulShutdownTimeout 5

GeoTagCache $provider:127.0.0.1:$cache_port
GeoTagCacheMemory 0

DocumentRoot $top/t/htdocs/samples
<Directory $top/t/htdocs/samples>
    Require all granted
    GeoTag On
</Directory>
$extra
CONF
}



# Writes $config to $dir/httpd.conf, starts httpd on it and waits until
# $port answers.  The config must have "PidFile $dir/httpd.pid".  True
# when it came up.
sub start_httpd {
    my ($dir, $port, $config) = @_;
    my $conf = "$dir/httpd.conf";
    open my $fh, '>', $conf or die "$conf: $!";
    print $fh $config;
    close $fh;
    $httpds{$conf} = "$dir/httpd.pid";
    system(httpd_binary(), '-f', $conf, '-k', 'start') == 0 or return 0;
    return wait_port($port, 15);
}

# graceful-stop, then KILL after 15 s.  True when it went by itself.
sub stop_httpd {
    my ($dir) = @_;
    my $conf = "$dir/httpd.conf";
    my $pidfile = "$dir/httpd.pid";
    delete $httpds{$conf};
    return stop_server($conf, $pidfile);
}

sub httpd_error_log {
    my ($dir) = @_;
    open my $fh, '<:raw', "$dir/error_log" or return '';
    local $/;
    return scalar <$fh>;
}

# Stops every httpd and daemon still running (httpds first: they are the
# daemons' clients).
sub stop_all {
    return unless $$ == $owner;
    for my $conf (keys %httpds) {
        (my $dir = $conf) =~ s{/httpd\.conf\z}{};
        stop_httpd($dir);
    }
    stop_daemon($_) for values %daemons;
}

END { my $rc = $?; stop_all(); $? = $rc }
for my $sig (qw(INT TERM)) {
    $SIG{$sig} = sub { stop_all(); POSIX::_exit(1) };
}

1;
