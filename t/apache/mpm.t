# mod_geotag under the worker and prefork MPMs (the Apache::Test server
# the other tests use runs Debian's default, event).  For each, this test
# starts a short-lived httpd of its own (minimal configuration written to
# t/logs/mpm-NAME/), fires 30 requests over three keep-alive connections,
# reads the server-wide counters of /geotag-status?json (hits from the
# children's memory among them: prefork's children have no lock, worker's
# threads share one), and stops it.
use strict;
use warnings FATAL => 'all';
use Apache::Test;
use Apache::TestUtil;
use Cwd qw(abs_path);
use File::Path qw(make_path);
use IO::Socket::INET;
use JSON::PP ();
use LWP::UserAgent ();
use Time::HiRes qw(time sleep);
use lib 't/engine';
use GeotagTest qw(geotag slurp);
use lib 't/lib';
use GeotagServer qw(free_port);
use GeotagHttpd qw(private_config httpd_binary stop_server);

my @mpms = qw(worker prefork);
my $per_mpm = 10;
plan tests => $per_mpm * @mpms, need_module 'mod_geotag.c';

my $top = abs_path('.');
my $mods = '/usr/lib/apache2/modules';
# make asan: an httpd with the ASan runtime preloaded, and the
# instrumented module (t/asan/apache.sh, GeotagHttpd::httpd_binary)
my $httpd = httpd_binary();
my ($expected) = geotag(slurp('t/htdocs/samples/it-analisi.html'));
my %running;    # conf => pid file, for the END block

# Nothing here may hang: the whole test is bounded.
$SIG{ALRM} = sub { die "mpm.t: timed out\n" };
alarm 240;



END {
    for my $conf (keys %running) {
        stop_server($conf, $running{$conf});
    }
}

sub config {
    my ($mpm, $dir, $port) = @_;
    my $tuning = $mpm eq 'prefork'
        ? "StartServers 3\nMinSpareServers 3\nMaxSpareServers 6\nMaxRequestWorkers 10\n"
        : "StartServers 2\nServerLimit 4\nThreadsPerChild 4\nMinSpareThreads 4\n"
          . "MaxSpareThreads 16\nMaxRequestWorkers 16\n";
    return private_config(
        dir => $dir, top => $top, ports => [$port], mpm => $mpm,
        modules => [qw(socache_shmcb status)], log_level => 'notice',
        purpose => "mpm.t: a minimal server with mod_geotag under mpm_$mpm (written by the test)",
        body => <<"CONF");
$tuning
KeepAlive On
MaxKeepAliveRequests 100
KeepAliveTimeout 10
Timeout 20
GracefulShutdownTimeout 5

GeoTagCache shmcb:$dir/geotag-cache(4194304)

DocumentRoot $top/t/htdocs
<Directory $top/t/htdocs>
    Require all granted
</Directory>
<Location /samples/>
    GeoTag On
</Location>
CONF
}

for my $mpm (@mpms) {
    my $so = "$mods/mod_mpm_$mpm.so";
    unless (-f $so) {
        # Debian's apache2 ships both MPMs (make test installs it): one
        # missing is a broken install, which must not pass as skipped checks
        ok t_cmp('missing', 'installed', "mpm_$mpm: $so") for 1 .. $per_mpm;
        next;
    }
    my $dir = "$top/t/logs/mpm-$mpm";
    make_path($dir);
    chmod 0755, $dir;
    unlink "$dir/error_log";
    my $port = free_port();
    my $conf = "$dir/httpd.conf";
    open my $fh, '>', $conf or die "$conf: $!";
    print $fh config($mpm, $dir, $port);
    close $fh;

    system $httpd, '-f', $conf, '-k', 'start';
    $running{$conf} = "$dir/httpd.pid";
    my $up = 0;
    for (1 .. 150) {
        my $s = IO::Socket::INET->new(PeerAddr => '127.0.0.1', PeerPort => $port,
                                      Proto => 'tcp', Timeout => 1);
        if ($s) { $up = 1; close $s; last }
        sleep 0.1;
    }
    ok t_cmp($up, 1, "mpm_$mpm: the server answers on 127.0.0.1:$port");
    # three keep-alive connections, used in turn, all three open at once
    # (under prefork: three children): 30 requests
    my @ua = map { LWP::UserAgent->new(keep_alive => 1, timeout => 10) } 1 .. 3;
    my (@codes, $same, %response_num);
    $same = 0;
    my $url = "http://127.0.0.1:$port/samples/it-analisi.html";
    for my $i (0 .. 29) {
        my $r = $ua[$i % 3]->get($url);
        push @codes, $r->code;
        $same++ if $r->code == 200 && $r->content eq $expected;
        my $num = $r->header('Client-Response-Num') // 1;
        $response_num{$i % 3} = $num
            if !defined $response_num{$i % 3} || $num > $response_num{$i % 3};
    }
    ok t_cmp(scalar(grep { $_ == 200 } @codes), 30, "mpm_$mpm: 30 responses, all 200");
    ok t_cmp($same, 30, "mpm_$mpm: every body is the tagged page, byte for byte");
    ok t_cmp(join(',', map { ($response_num{$_} // 0) >= 10 ? 'kept' : 'new' } 0 .. 2),
             'kept,kept,kept', "mpm_$mpm: each of the 3 connections carried its 10 requests");

    my $log = -f "$dir/error_log" ? slurp("$dir/error_log") : '';
    ok t_cmp($log, qr/\[mpm_$mpm:notice\].*resuming normal operations/,
             "mpm_$mpm: it runs that MPM");

    my $status = LWP::UserAgent->new(timeout => 10)->get("http://127.0.0.1:$port/geotag-status?json");
    my $json = eval { JSON::PP->new->decode($status->content) } || {};
    my $c = $json->{counters} || {};
    t_debug "mpm_$mpm counters: " . join ' ', map { "$_=$c->{$_}" } sort keys %$c;
    ok t_cmp(($c->{requests} // 0) >= 30 ? 1 : 0, 1,
             "mpm_$mpm: requests counted across children: " . ($c->{requests} // 'none'));
    ok t_cmp(($c->{cache_hits} // 0) >= 28 ? 1 : 0, 1,
             "mpm_$mpm: cache hits across children: " . ($c->{cache_hits} // 'none'));
    # each child replays the page twice, keeps it, then answers from memory
    ok t_cmp(($c->{cache_memory_stores} // 0) >= 1 && ($c->{cache_memory_hits} // 0) >= 10
             ? 1 : 0, 1,
             "mpm_$mpm: hits from the children's memory: "
             . ($c->{cache_memory_hits} // 'none') . ' (pages kept: '
             . ($c->{cache_memory_stores} // 'none') . ')');

    ok t_cmp(stop_server($conf, "$dir/httpd.pid"), 1, "mpm_$mpm: stopped");
    delete $running{$conf};
    $log = -f "$dir/error_log" ? slurp("$dir/error_log") : '';
    ok t_cmp($log, qr/\A(?!.*(?:Segmentation fault|exit signal|glibc detected|Assertion .* failed|:(?:emerg|alert|crit)\]))/s,
             "mpm_$mpm: no crash or critical error in its error_log");
}
alarm 0;
