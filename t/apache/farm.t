# GeoTagCache shared by a farm: for memcache and for redis, a real daemon
# (memcached, redis-server) and two private httpds (A and B) that use it,
# everything on 127.0.0.1.  Both servers have the same DocumentRoot and the
# same ServerName, as the members of a farm behind a load balancer have,
# and GeoTagCacheMemory 0, so that every hit is a replay of an entry read
# from the daemon.
#
#   - a page tagged by A (a miss there) is a hit on B, with the same bytes;
#     the status pages' counters say the same as the X-GeoTag-Result
#     headers;
#   - the daemon stopped and started again (same port, empty: redis runs
#     without persistence) while a client keeps requesting from A and B:
#     no request fails, every body is the tagged page, and hits come back
#     after the restart.  The error-log lines written meanwhile are
#     counted (t_debug).
#
# memcached and redis-server are installed by make test (t/deps.sh test);
# without them this test fails, it does not skip.
use strict;
use warnings FATAL => 'all';
use Apache::Test;
use Apache::TestUtil;
use Cwd qw(abs_path);
use File::Temp qw(tempdir);
use JSON::PP ();
use LWP::UserAgent ();
use POSIX ();
use Time::HiRes qw(time sleep);
use lib 't/engine';
use GeotagTest qw(geotag slurp);
use lib 't/lib';
use GeotagServer qw(bytes_diff result_of);
use GeotagFarm qw(start_daemon stop_daemon start_httpd stop_httpd
                  httpd_error_log free_port stop_all farm_config);

my @providers = qw(memcache redis);
my $per_provider = 21;
plan tests => $per_provider * @providers, need_module 'mod_geotag.c';

# Nothing may hang; whatever happens, GeotagFarm's END block stops the
# daemons and the httpds.
$SIG{ALRM} = sub { stop_all(); die "farm.t: timed out\n" };
alarm 300;

my $top = abs_path('.');
my $page = 'en-analysis.html';
my ($expected) = geotag(slurp("t/htdocs/samples/$page"));

# cache_hits/cache_misses/cache_stores from a server's status page
sub counters {
    my ($port) = @_;
    my $res = LWP::UserAgent->new(timeout => 10)
        ->get("http://127.0.0.1:$port/geotag-status?json");
    my $json = eval { JSON::PP->new->decode($res->content) } || {};
    my $c = $json->{counters} || {};
    return join ' ', map { "$_=" . ($c->{$_} // 'none') } qw(cache_hits cache_misses cache_stores);
}

# "hits=H misses=M" as the X-GeoTag-Result headers counted them, in the
# form counters() returns (stores: the misses whose store succeeded, which
# only the server knows: given by the caller)
sub tally {
    my ($t, $stores) = @_;
    return sprintf 'cache_hits=%d cache_misses=%d cache_stores=%s',
        $t->{hit} // 0, $t->{miss} // 0, $stores;
}

# The client loop, in a child: requests $page from the servers in turn
# until $max requests or $seconds have passed, one every $pause seconds;
# one line per request into $out: "START END PORT CODE RESULT SAME".
sub client_loop {
    my ($out, $ports, $max, $seconds, $pause) = @_;
    my $pid = fork;
    die "fork: $!" unless defined $pid;
    return $pid if $pid;
    my $rc = 1;
    eval {
        open my $fh, '>', $out or die "$out: $!";
        $fh->autoflush(1);
        my $ua = LWP::UserAgent->new(keep_alive => 1, timeout => 10);
        my $until = time + $seconds;
        for (my $i = 0; $i < $max && time < $until; $i++) {
            my $port = $ports->[$i % @$ports];
            my $t0 = time;
            my $r = $ua->get("http://127.0.0.1:$port/$page");
            printf $fh "%.3f %.3f %d %d %s %d\n", $t0, time, $port, $r->code,
                result_of($r) =~ s/\s+/_/gr,
                $r->code == 200 && $r->content eq $expected ? 1 : 0;
            sleep $pause;
        }
        close $fh;
        $rc = 0;
    };
    print STDERR "farm.t client: $@" if $@;
    POSIX::_exit($rc);
}

sub read_loop {
    my ($out) = @_;
    open my $fh, '<', $out or return ();
    return map { [split ' '] } <$fh>;
}

# The outcome of $page on $port, polled until it is $want or $seconds
# have passed.  Returns the last response.
sub poll_for {
    my ($ua, $port, $want, $seconds) = @_;
    my $until = time + $seconds;
    my $r;
    while (1) {
        $r = $ua->get("http://127.0.0.1:$port/$page");
        return $r if result_of($r) eq $want || time >= $until;
        sleep 0.2;
    }
}

sub lines_from {
    my ($text, $offset) = @_;
    return grep { length } split /\n/, substr($text, $offset);
}

for my $provider (@providers) {
    my $dir = tempdir("farm-$provider-XXXXXX", TMPDIR => 1, CLEANUP => 1);
    chmod 0755, $dir;
    my $daemon = eval { start_daemon($provider, $dir) };
    ok t_cmp($@, '', "$provider: the cache daemon runs on 127.0.0.1")
        or do { skip "$provider: no cache daemon", 0 for 2 .. $per_provider; next };
    my $cache_port = $daemon->{port};

    my (%srv, $up);
    for my $name (qw(A B)) {
        my $sdir = "$dir/$name";
        mkdir $sdir or die "$sdir: $!";
        chmod 0755, $sdir;
        my $port = free_port();
        $srv{$name} = { dir => $sdir, port => $port };
        $up = start_httpd($sdir, $port, farm_config($top, $provider, $sdir, $port, $cache_port));
        ok t_cmp($up, 1, "$provider: server $name answers on 127.0.0.1:$port");
    }
    my ($pa, $pb) = map { $srv{$_}{port} } qw(A B);
    my $ua = LWP::UserAgent->new(keep_alive => 1, timeout => 10);
    my %tally = (A => {}, B => {});
    my $get = sub {
        my ($name) = @_;
        my $r = $ua->get("http://127.0.0.1:$srv{$name}{port}/$page");
        $tally{$name}{result_of($r)}++;
        return $r;
    };

    # --- cross-server: tagged by A, replayed by B
    my $ra = $get->('A');
    ok t_cmp($ra->code . ' ' . result_of($ra), '200 miss', "$provider: A tags the page (a miss)");
    ok t_cmp(bytes_diff($ra->content, $expected), 'identical',
             "$provider: A's body is the tagged page");
    my $rb = $get->('B');
    ok t_cmp($rb->code . ' ' . result_of($rb), '200 hit',
             "$provider: B answers it from the farm cache (a hit)");
    ok t_cmp(bytes_diff($rb->content, $ra->content), 'identical',
             "$provider: B's body is byte for byte A's");
    my $ra2 = $get->('A');
    ok t_cmp(result_of($ra2) . ' ' . bytes_diff($ra2->content, $expected), 'hit identical',
             "$provider: A too now replays it from the daemon");
    ok t_cmp(counters($pa), 'cache_hits=1 cache_misses=1 cache_stores=1',
             "$provider: A's status page: one hit, one miss, one store");
    ok t_cmp(counters($pb), 'cache_hits=1 cache_misses=0 cache_stores=0',
             "$provider: B's status page: one hit, nothing stored");

    # --- outage: the daemon stopped and started again under a client loop
    my %log_at = map { $_ => length httpd_error_log($srv{$_}{dir}) } qw(A B);
    my $out = "$dir/loop.txt";
    my $client = client_loop($out, [$pa, $pb], 300, 20, 0.03);
    # let the loop run on a working cache first
    my $t_wait = time + 5;
    while (time < $t_wait) {
        my @sofar = read_loop($out);
        last if @sofar >= 20;
        sleep 0.1;
    }
    stop_daemon($daemon);
    my $t_down = time;
    sleep 3;
    my $t_up = time;
    my $restarted = eval { $daemon = start_daemon($provider, $dir, $cache_port); 1 };
    ok t_cmp($restarted ? 1 : $@, 1, "$provider: the daemon restarted on port $cache_port");
    waitpid $client, 0;
    my $client_rc = $?;
    my @loop = read_loop($out);
    ok t_cmp($client_rc, 0, "$provider: the client loop ran to its end");

    my @failed = grep { $_->[3] != 200 || !$_->[5] } @loop;
    my @during = grep { $_->[0] > $t_down && $_->[1] < $t_up } @loop;
    my @after = grep { $_->[0] > $t_up } @loop;
    for (@loop) { $tally{$_->[2] == $pa ? 'A' : 'B'}{$_->[4]}++ }
    t_debug sprintf '%s: loop: %d requests, %d during the outage (%s), %d after the restart (%d hits)',
        $provider, scalar @loop, scalar @during,
        join(',', map { "$_->[4]" } @during[0 .. ($#during < 4 ? $#during : 4)]),
        scalar @after, scalar grep { $_->[4] eq 'hit' } @after;
    ok t_cmp(scalar(@loop) >= 50 ? 1 : 0, 1,
             "$provider: the loop sent requests (" . scalar(@loop) . ')');
    ok t_cmp(scalar(@failed), 0,
             "$provider: no failed request: every response 200 with the tagged page"
             . (@failed ? " (first: code $failed[0][3], result $failed[0][4])" : ''));
    ok t_cmp(join(' ', sort { $a cmp $b } keys %{{ map { $_->[4] => 1 } @during }}), 'miss',
             "$provider: while the daemon was down, requests were answered as misses ("
             . scalar(@during) . ')');

    # hits come back: on each server, the page is stored again and replayed
    my ($ha, $hb) = map { poll_for($ua, $srv{$_}{port}, 'hit', 15) } qw(A B);
    $tally{A}{result_of($ha)}++;
    $tally{B}{result_of($hb)}++;
    ok t_cmp(result_of($ha) . ' ' . result_of($hb), 'hit hit',
             "$provider: after the restart, hits on A and B again");
    ok t_cmp(bytes_diff($hb->content, $expected), 'identical',
             "$provider: and the hit's body is the tagged page");

    # the error-log lines of the outage: the module's are rate-limited (one
    # per 30 s in each child: ServerLimit 2, so at most 2 per server)
    my @lines = map { lines_from(httpd_error_log($srv{$_}{dir}), $log_at{$_}) } qw(A B);
    my @ours = grep { /\[geotag:/ } @lines;
    t_debug sprintf '%s: error-log lines during the outage: %d from mod_geotag, %d in all',
        $provider, scalar @ours, scalar @lines;
    t_debug "$provider: first of them: $_" for @ours[0 .. ($#ours < 2 ? $#ours : 2)];
    ok t_cmp(scalar(@ours) <= 4 ? 'few' : scalar(@ours) . ' lines', 'few',
             "$provider: the outage wrote at most one mod_geotag line per child");

    # the counters agree with the headers (stores: at most the misses;
    # which server stores again after the restart is up to the timing)
    for my $name (qw(A B)) {
        my $c = counters($srv{$name}{port});
        my ($stores) = $c =~ /cache_stores=(\d+)/;
        $stores //= 'none';
        my $ok = $stores ne 'none' && $stores <= ($tally{$name}{miss} // 0);
        ok t_cmp($c, tally($tally{$name}, $ok ? $stores : "0..misses"),
                 "$provider: ${name}'s counters agree with its X-GeoTag-Result headers");
    }
    ok t_cmp(stop_httpd($srv{A}{dir}) && stop_httpd($srv{B}{dir}) ? 1 : 0, 1,
             "$provider: both servers stopped");
    stop_daemon($daemon);
}
alarm 0;
