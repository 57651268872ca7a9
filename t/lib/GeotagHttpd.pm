# Private servers for the server tests that need a configuration of their
# own (virtual hosts, a reverse proxy in front of a scripted backend, one
# child, another cache provider), started beside the Apache::Test server.
#
#   use lib 't/lib';
#   use GeotagHttpd;
#
#   my $be = GeotagHttpd::Backend->start(sub {
#       my $req = shift;          # method path query uri headers{lc} count total
#       return [200, ['Content-Type' => 'text/html', ETag => '"v1"'], $body];
#   });
#   my $h = GeotagHttpd->new(ports => 2, memory => 0);
#   $h->start(<<"CONF");          # the caller's part of the configuration
#   ProxyPass /be/ http://127.0.0.1:@{[$be->port]}/
#   <Location /be/>
#       GeoTag On
#   </Location>
#   CONF
#   my $res = $h->get('/be/page.html', Cookie => 'user=alice');
#   my $log = $h->error_log;
#
# Both are stopped when their object goes out of scope, and in any case
# when the test ends (END), whether it passed, failed or died.
#
# This is also the one home of a private httpd's configuration: every test
# that starts an httpd of its own (this package's servers, GeotagFarm's farm
# members, mpm.t, restart.t) writes it with private_config(), from
# t/conf/private-httpd.conf.tmpl, which t/demo.sh fills in too.
#
#   my $conf = GeotagHttpd::private_config(dir => $dir, ports => [$port],
#       modules => ['socache_shmcb'], body => "GeoTag On\n");
#   system(GeotagHttpd::httpd_binary(), '-f', $file, '-k', 'start');
package GeotagHttpd;
use strict;
use warnings FATAL => 'all';
use Cwd qw(abs_path);
use File::Path qw(remove_tree);
use File::Temp qw(tempdir);
use IO::Select;
use IO::Socket::INET;
use Encode ();
use JSON::PP ();
use LWP::UserAgent;
use POSIX ();
use Exporter 'import';

our @EXPORT_OK = qw(free_port read_pid stop_server bytes_diff counter_delta own_page unwrap markup_problems mentions_of jsonld_of problems lines_diff
                    jsonld_canon jsonld_names sample
                    private_config httpd_binary module_so);

my $MODS = '/usr/lib/apache2/modules';
my %running;                      # dir => object, for END

# The httpd and the module under test: Debian's apache2 and the build of
# the tree $top (default: the current directory, where the tests run),
# unless the environment names others (make asan, t/asan/apache.sh: a
# wrapper that preloads the ASan runtime, and the instrumented module).
sub httpd_binary { $ENV{GEOTAG_HTTPD} || '/usr/sbin/apache2' }
sub module_so    { $ENV{GEOTAG_MODULE_SO} || ($_[0] // abs_path('.')) . '/.libs/mod_geotag.so' }

# The modules every private httpd loads: what the common part uses
# (Require, TypesConfig, Header).
my @COMMON_MODULES = qw(authz_core mime headers);

# private_config(%opt): the text of a private httpd's configuration, the
# common part (t/conf/private-httpd.conf.tmpl) then the caller's body.
#   dir         its own directory: ServerRoot, pid file, error_log, mutexes
#   ports       [ Listen ports on 127.0.0.1 ] (none: the body has them)
#   modules     [ modules to load beyond the common ones, as in mod_NAME.so ]
#   mpm         'event' (default), 'worker' or 'prefork'
#   server_name default 127.0.0.1
#   log_level   default warn
#   dictionary  GeoTagDictionary (default the tree's conf/gazetteer.xml)
#   top         the tree (default the current directory)
#   purpose     a comment line saying what the server is for
#   body        the caller's part, appended as it is
sub private_config {
    my (%opt) = @_;
    my $dir = $opt{dir} // die "private_config: no dir\n";
    my $top = $opt{top} // abs_path('.');
    my $mpm = $opt{mpm} // 'event';
    my %seen;
    my $load = join "\n", map { "LoadModule ${_}_module $MODS/mod_$_.so" }
        grep { !$seen{$_}++ } "mpm_$mpm", @COMMON_MODULES, @{ $opt{modules} // [] };
    my %value = (
        PURPOSE      => $opt{purpose} // 'a private httpd with mod_geotag',
        DIR          => $dir,
        TOP          => $top,
        SERVER_NAME  => $opt{server_name} // '127.0.0.1',
        LISTEN       => join("\n", map { "Listen 127.0.0.1:$_" } @{ $opt{ports} // [] }),
        LOG_LEVEL    => $opt{log_level} // 'warn',
        USER         => $> == 0 ? "User nobody\nGroup nogroup" : '',
        LOAD_MODULES => $load,
        MODULE_SO    => module_so($top),
        DICTIONARY   => $opt{dictionary} // "$top/conf/gazetteer.xml",
    );
    my $template = "$top/t/conf/private-httpd.conf.tmpl";
    open my $fh, '<', $template or die "$template: $!";
    my $conf = do { local $/; <$fh> };
    close $fh;
    $conf =~ s{\@([A-Z_]+)\@}{
        defined $value{$1} ? $value{$1} : die "$template: unknown \@$1\@\n"
    }ge;
    return $conf . ($opt{body} // '');
}

# A TCP port free on 127.0.0.1 just now.
sub free_port {
    my $s = IO::Socket::INET->new(LocalAddr => '127.0.0.1', LocalPort => 0,
                                  Proto => 'tcp', Listen => 1, ReuseAddr => 1)
        or die "no free port: $!";
    my $port = $s->sockport;
    close $s;
    return $port;
}

# "identical", or where and how two bodies differ (short, for t_cmp).
sub bytes_diff {
    my ($got, $want) = @_;
    return 'identical' if $got eq $want;
    my $i = 0;
    $i++ while $i < length($got) && $i < length($want)
        && substr($got, $i, 1) eq substr($want, $i, 1);
    return sprintf 'differ at byte %d (got %d bytes, expected %d): "%s"',
        $i, length $got, length $want, substr($got, $i, 60);
}

# The pid in an httpd pid file, or undef.
sub read_pid {
    my ($file) = @_;
    open my $fh, '<', $file or return undef;
    my $pid = <$fh>;
    return $pid && $pid =~ /^([0-9]+)/ ? $1 : undef;
}

# Stops the httpd of $conf (its pid in $pidfile) with graceful-stop, so
# children finish what they do (a plain stop makes a prefork child exit
# from its signal handler wherever it is, even inside malloc, which glibc
# may then report as heap corruption); KILL if it outlives 45 s.  True
# when it went by itself.
sub stop_server {
    my ($conf, $pidfile) = @_;
    my $pid = read_pid($pidfile);
    system httpd_binary(), '-f', $conf, '-k', 'graceful-stop';
    return 1 unless $pid;
    # a loaded two-core machine has taken more than 15 s to let a worker
    # MPM's children go; a server still there after 45 s is stuck
    my $until = time + 45;
    while (time < $until) {
        return 1 unless kill 0, $pid;
        select undef, undef, undef, 0.1;
    }
    kill 'KILL', $pid;
    return 0;
}

# How much a status-page counter grew between two counters() snapshots,
# or "(no counter KEY)" when the status page does not have it.
sub counter_delta {
    my ($before, $after, $key) = @_;
    return "(no counter $key)" unless defined $before->{$key} && defined $after->{$key};
    return $after->{$key} - $before->{$key};
}

# The response's body with GEOTAG's markup removed, against $want:
# "identical", or where they differ.
sub own_page {
    my ($res, $want) = @_;
    my ($orig) = unwrap($res->content);
    return bytes_diff($orig, $want);
}

# GeotagHttpd->new(%opt): a server not started yet, its directory and ports
# chosen, so that the caller can write them into its configuration.
#   ports   => how many Listen ports (default 1): $h->port(0), $h->port(1) ...
#   cache   => the GeoTagCache argument (default shmcb:DIR/cache(1048576))
#   memory  => GeoTagCacheMemory (default: the module's default)
#   modules => [ extra module names, as in mod_NAME.so: 'socache_memcache' ]
#   one_child => 1 (default): one child process (mpm_event), so that the
#              per-child memory sees every request
#   listen  => 0 to leave the Listen lines to the caller's configuration
sub new {
    my ($class, %opt) = @_;
    my $dir = tempdir('geotag-httpd-XXXXXX', TMPDIR => 1);
    chmod 0755, $dir;
    mkdir "$dir/htdocs";
    my $n = $opt{ports} // 1;
    my %seen;
    my @ports;
    while (@ports < $n) {
        my $p = free_port();
        push @ports, $p unless $seen{$p}++;
    }
    return bless { %opt, dir => $dir, ports => \@ports, owner => $$,
                   top => abs_path('.') }, $class;
}

sub dir       { $_[0]{dir} }
sub port      { $_[0]{ports}[$_[1] // 0] }
sub ports     { @{ $_[0]{ports} } }
sub error_log { "$_[0]{dir}/error_log" }
sub htdocs    { "$_[0]{dir}/htdocs" }
sub url       { my ($self, $path, $i) = @_; "http://127.0.0.1:" . $self->port($i // 0) . $path }

# The configuration: the common part (private_config), ours, then the
# caller's $body.
sub config {
    my ($self, $body) = @_;
    my $dir = $self->{dir};
    my $cache = $self->{cache} // "shmcb:$dir/cache(1048576)";
    my $memory = defined $self->{memory} ? "GeoTagCacheMemory $self->{memory}" : '';
    my $mpm = ($self->{one_child} // 1) ? <<'MPM' : '';
StartServers 1
ServerLimit 1
ThreadsPerChild 25
MaxRequestWorkers 25
MinSpareThreads 1
MaxSpareThreads 25
MaxConnectionsPerChild 0
MPM
    return private_config(
        dir => $dir, top => $self->{top},
        ports => ($self->{listen} // 1) ? $self->{ports} : [],
        modules => [qw(authz_host dir alias env socache_shmcb proxy proxy_http),
                    @{ $self->{modules} // [] }],
        purpose => "$0: a private server (GeotagHttpd)",
        body => <<"CONF");
$mpm
AddDefaultCharset Off
DocumentRoot $dir/htdocs
<Directory $dir/htdocs>
    Require all granted
</Directory>
GeoTagCache $cache
$memory
SetEnv proxy-nokeepalive 1

$body
CONF
}

# Starts httpd with the caller's configuration $body and waits until it
# answers on its first port; dies with the error_log when it does not.
sub start {
    my ($self, $body) = @_;
    my $dir = $self->{dir};
    open my $fh, '>', "$dir/httpd.conf" or die "$dir/httpd.conf: $!";
    print $fh $self->config($body // '');
    close $fh;
    $running{$dir} = $self;
    my $httpd = httpd_binary();
    my $out = `$httpd -f $dir/httpd.conf -k start 2>&1`;
    if ($? != 0) {
        my $log = -f $self->error_log ? `tail -20 $dir/error_log` : '';
        die "httpd did not start: $out\n$log";
    }
    $self->{started} = 1;
    my $ua = LWP::UserAgent->new(timeout => 5);
    my $probe = $self->{listen} // 1 ? $self->url('/geotag-status?json') : undef;
    for (1 .. 150) {
        if (-s "$dir/httpd.pid") {
            return $self unless $probe;
            my $r = $ua->get($probe);
            return $self if $r->code == 200;
        }
        select undef, undef, undef, 0.1;
    }
    my $log = -f $self->error_log ? `tail -20 $dir/error_log` : '';
    $self->stop;
    die "httpd did not answer on port " . $self->port . "\n$log";
}

# An LWP::UserAgent that keeps no connection open (one child: a kept-alive
# connection would hold one of its threads).
sub ua {
    my $self = shift;
    return $self->{ua} //= LWP::UserAgent->new(timeout => 30, keep_alive => 0,
                                               max_redirect => 0);
}

# GET $path (on port $i, default the first) with extra request headers.
sub get {
    my ($self, $path, @headers) = @_;
    my $i = 0;
    if (@headers % 2) { $i = shift @headers }
    return $self->ua->get($self->url($path, $i), @headers);
}

# The status page's counters (JSON), from the server's first port.
sub counters {
    my ($self, $i) = @_;
    my $r = $self->ua->get($self->url('/geotag-status?json', $i // 0));
    die 'geotag-status: ' . $r->status_line unless $r->is_success;
    return JSON::PP::decode_json($r->content)->{counters};
}

# Stops httpd and removes its directory (GEOTAG_KEEP_HTTPD=1 keeps it).
sub stop {
    my $self = shift;
    return unless $self->{owner} == $$;
    my $dir = $self->{dir};
    if ($self->{started}) {
        delete $self->{started};
        my $pid;
        if (open my $fh, '<', "$dir/httpd.pid") { $pid = <$fh>; chomp $pid if defined $pid }
        system(httpd_binary() . " -f $dir/httpd.conf -k stop >/dev/null 2>&1");
        for (1 .. 100) {
            last unless -e "$dir/httpd.pid" || ($pid && kill 0, $pid);
            select undef, undef, undef, 0.1;
        }
        if ($pid && $pid =~ /^\d+$/ && kill 0, $pid) {
            kill 'KILL', $pid;
        }
    }
    delete $running{$dir};
    remove_tree($dir) if -d $dir && !$ENV{GEOTAG_KEEP_HTTPD};
}

sub DESTROY { my $self = shift; local ($?, $@, $!); $self->stop }

END { local $?; $_->stop for values %running }

# ------------------------------------------------------------------------
# Reading a tagged body.  GEOTAG only inserts, and everything it inserts
# carries data-geotag, in these shapes (GeoTagMarkup data):
#   <span data-geotag="KIND QID">text</span>
#   <data data-geotag="figure..." value="N">text</data>
#   <time data-geotag="date" datetime="D">text</time>
#   <script type="application/ld+json" id="geotag-jsonld" data-geotag="jsonld">...</script>
my $OPEN = qr{<span data-geotag="[^"<>]*">|<data data-geotag="[^"<>]*" value="[^"<>]*">|<time data-geotag="[^"<>]*" datetime="[^"<>]*">};
my $JSONLD = qr{<script type="application/ld\+json" id="geotag-jsonld" data-geotag="jsonld">.*?</script>}s;

# unwrap($tagged): ($original, \@inserted, \@problems).  Removes every
# element GEOTAG inserted: an opening tag of the shapes above and its own
# closing tag (the first </span>, </data> or </time> after it, nested
# inserted elements counted; the wrapped text itself holds no tag: any
# other '<' inside is a problem), and the JSON-LD block whole.  @inserted:
# [offset in the original, 'open' | 'close' | 'jsonld' | 'preview', the bytes].
# unwrap($tagged, preview => 1) also removes the editor preview's elements
# (GeoTagPreview, src/preview.h), each whole: <NAME data-geotag="preview...">
# up to the first </NAME>; without it they are problems, as any tag inside
# our markup, or stay in the original.
my $PREVIEW = qr{<(span|style|aside) data-geotag="preview[^"<>]*"[^<>]*>.*?</\g{-1}>}s;
sub unwrap {
    my ($t, %opt) = @_;
    my ($orig, @ins, @problems, @stack) = ('');
    pos($t) = 0;
    while (pos($t) < length $t) {
        if ($opt{preview} && $t =~ /\G($PREVIEW)/gc) {
            push @ins, [length $orig, 'preview', $1];
        }
        elsif ($t =~ /\G($JSONLD)/gc) {
            push @problems, 'JSON-LD inside an inserted element at ' . length $orig if @stack;
            push @ins, [length $orig, 'jsonld', $1];
        }
        elsif ($t =~ /\G($OPEN)/gc) {
            my $tag = $1;
            my ($name) = $tag =~ /^<(\w+)/;
            push @stack, $name;
            push @ins, [length $orig, 'open', $tag];
        }
        elsif (@stack && $t =~ m{\G</(span|data|time)>}gc) {
            my $name = $1;
            if ($name ne $stack[-1]) {
                push @problems, "</$name> closes <$stack[-1] data-geotag> at " . length $orig;
            }
            pop @stack;
            push @ins, [length $orig, 'close', "</$name>"];
        }
        elsif (@stack && $t =~ /\G(<[^<]*)/gc) {
            push @problems, 'a tag inside an inserted element at ' . length($orig)
                . ': "' . substr($1, 0, 40) . '"';
            $orig .= $1;
        }
        elsif (@stack) {
            $t =~ /\G([^<]+)/gc;
            $orig .= $1;
        }
        else {
            $t =~ /\G(<?[^<]*)/gc;
            $orig .= $1;
        }
    }
    push @problems, 'unclosed <' . join('>, <', @stack) . '>' if @stack;
    return ($orig, \@ins, \@problems);
}

# Where the inserted markup sits wrong: inside a tag of the page, inside a
# word (an element opening after a letter or digit or before anything but
# a letter, digit or currency sign, closing before a letter or digit) or
# inside a UTF-8 character, the JSON-LD elsewhere than just before </body>.
# Returns the list of problems, the unwrapper's included; () when the markup is sound.
sub markup_problems {
    my ($tagged) = @_;
    my ($orig, $ins, $problems) = unwrap($tagged);
    my @p = @$problems;
    my $w = qr/[\p{L}\p{N}]/;
    for my $i (@$ins) {
        my ($at, $what, $bytes) = @$i;
        # the characters either side (UTF-8; a cut inside one shows as U+FFFD)
        my $b4 = $at > 0 ? substr($orig, $at > 4 ? $at - 4 : 0, $at > 4 ? 4 : $at) : '';
        my $before = substr(Encode::decode('UTF-8', $b4, Encode::FB_DEFAULT()), -1);
        my $after = substr(Encode::decode('UTF-8', substr($orig, $at, 4), Encode::FB_DEFAULT()), 0, 1);
        my $ctx = substr($orig, $at > 20 ? $at - 20 : 0, $at > 20 ? 20 : $at) . '|'
            . substr($orig, $at, 20);
        $ctx =~ s/[^\x20-\x7e]/?/g;
        $ctx =~ s/\s+/ /g;
        my $lt = rindex($orig, '<', $at - 1);
        my $gt = rindex($orig, '>', $at - 1);
        if ($at > 0 && $lt > $gt) {
            push @p, "$what inside a tag at $at: \"$ctx\"";
            next;
        }
        if ($before eq "\x{FFFD}" || $after eq "\x{FFFD}") {
            push @p, "$what inside a UTF-8 character at $at: \"$ctx\"";
        }
        elsif ($what eq 'open') {
            push @p, "opens inside a word at $at: \"$ctx\""
                if $before =~ $w || $after !~ /[\p{L}\p{N}\p{Sc}]/;
        }
        elsif ($what eq 'close') {
            push @p, "closes inside a word at $at: \"$ctx\"" if $after =~ $w;
        }
        else {
            push @p, "the JSON-LD is not before </body> at $at: \"$ctx\""
                unless substr($orig, $at, 7) =~ m{^</body}i;
        }
    }
    return @p;
}

# markup_problems summed up for t_cmp: 'none', or how many and the first two.
sub problems {
    my @p = markup_problems($_[0]);
    return 'none' unless @p;
    return scalar(@p) . ' problems: ' . join('; ', @p[0 .. ($#p < 1 ? $#p : 1)]);
}

# "identical", or the first place where two lists of lines differ.
sub lines_diff {
    my ($got, $want) = @_;
    my $i = 0;
    $i++ while $i < @$got && $i < @$want && $got->[$i] eq $want->[$i];
    return 'identical' if $i == @$got && $i == @$want;
    return sprintf 'differ at %d of %d/%d: got "%s", expected "%s"', $i, scalar @$got,
        scalar @$want, $got->[$i] // '(end)', $want->[$i] // '(end)';
}

# The inline mentions, in order: 'OPENTAG text' each (the JSON-LD left out).
sub mentions_of {
    my ($tagged) = @_;
    my @m;
    while ($tagged =~ m{($OPEN)([^<]*)}g) { push @m, "$1$2" }
    return @m;
}

# The decoded JSON-LD block GEOTAG appended, or undef.
sub jsonld_of {
    my ($tagged) = @_;
    my ($json) = $tagged =~ m{<script type="application/ld\+json" id="geotag-jsonld" data-geotag="jsonld">(.*?)</script>}s
        or return undef;
    my $d = eval { JSON::PP->new->utf8->decode($json) };
    return $d;
}

# That block in a canonical form (keys sorted), for comparisons; or a note.
sub jsonld_canon {
    my $d = jsonld_of($_[0]) or return '(no JSON-LD)';
    return JSON::PP->new->canonical->utf8->encode($d);
}

# The "name"s of the entities in that block, sorted, joined with '|'.
sub jsonld_names {
    my $d = jsonld_of($_[0]) or return '(no JSON-LD)';
    my @names;
    for my $n (@{ $d->{'@graph'} // [] }) {
        push @names, $n->{name} if defined $n->{name} && !ref $n->{name};
    }
    return join '|', sort @names;
}

# The bytes of a sample article (t/htdocs/samples/NAME).
sub sample {
    my $file = "t/htdocs/samples/$_[0]";
    open my $fh, '<:raw', $file or die "$file: $!";
    local $/;
    return scalar <$fh>;
}

# ------------------------------------------------------------------------
# A scripted HTTP/1.1 backend: one forked process on a free 127.0.0.1 port,
# serving one connection at a time (Connection: close).  The handler gets
#   { method, uri, path, query, headers => {lower-cased name => value},
#     count => requests of this path so far, this one included,
#     total => requests so far, this one included }
# and returns [status, [header => value, ...], body]; Content-Length is
# added unless the handler gave one (HEAD: the headers of the GET, no body).
# GET /__count/PATH answers how many requests PATH has had (not counted).
package GeotagHttpd::Backend;
use strict;
use warnings FATAL => 'all';
use IO::Socket::INET;
use POSIX ();

my %backends;

sub start {
    my ($class, $handler) = @_;
    my $listen = IO::Socket::INET->new(LocalAddr => '127.0.0.1', LocalPort => 0,
                                       Proto => 'tcp', Listen => 64, ReuseAddr => 1)
        or die "backend: cannot listen: $!";
    my $port = $listen->sockport;
    my $pid = fork;
    die "fork: $!" unless defined $pid;
    if ($pid == 0) {
        serve($listen, $handler);
        POSIX::_exit(0);
    }
    close $listen;
    my $self = bless { pid => $pid, port => $port, owner => $$ }, $class;
    $backends{$pid} = $self;
    return $self;
}

sub port { $_[0]{port} }
sub url  { "http://127.0.0.1:$_[0]{port}$_[1]" }

sub serve {
    my ($listen, $handler) = @_;
    my (%count, $total);
    $SIG{PIPE} = 'IGNORE';
    local $SIG{ALRM} = sub { die "timeout\n" };
    while (my $c = $listen->accept) {
        eval {
            alarm 30;
            binmode $c;
            my $head = '';
            while ($head !~ /\r?\n\r?\n/) {
                my $n = sysread $c, my $buf, 8192;
                die "eof\n" unless $n;
                $head .= $buf;
            }
            my ($reqline, @lines) = split /\r?\n/, $head;
            my ($method, $uri) = split ' ', $reqline;
            my %h;
            for (@lines) {
                last if $_ eq '';
                my ($k, $v) = /^([^:]+):\s*(.*?)\s*$/ or next;
                $h{lc $k} = exists $h{lc $k} ? "$h{lc $k}, $v" : $v;
            }
            my ($path, $query) = split /\?/, $uri, 2;
            my ($status, $headers, $body);
            if ($path =~ m{^/__count(/.*)$}) {
                ($status, $headers, $body) = (200, ['Content-Type' => 'text/plain'],
                                              $count{$1} // 0);
            }
            else {
                my $req = { method => $method, uri => $uri, path => $path,
                            query => $query, headers => \%h,
                            count => ++$count{$path}, total => ++$total };
                ($status, $headers, $body) = @{ $handler->($req) };
            }
            $body //= '';
            my @hdr = @$headers;
            my $has_cl = grep { lc($hdr[$_ * 2]) eq 'content-length' } 0 .. $#hdr / 2;
            push @hdr, 'Content-Length' => length $body unless $has_cl;
            my $out = "HTTP/1.1 $status X\r\n";
            while (my ($k, $v) = splice @hdr, 0, 2) { $out .= "$k: $v\r\n" }
            $out .= "Connection: close\r\n\r\n";
            $out .= $body unless $method eq 'HEAD';
            my $off = 0;
            while ($off < length $out) {
                my $n = syswrite $c, $out, length($out) - $off, $off;
                die "write: $!\n" unless defined $n;
                $off += $n;
            }
            alarm 0;
        };
        alarm 0;
        close $c;
    }
}

# How many requests $path has had.
sub count {
    my ($self, $path) = @_;
    my $s = IO::Socket::INET->new(PeerAddr => '127.0.0.1', PeerPort => $self->{port},
                                  Proto => 'tcp', Timeout => 10) or die "backend: $!";
    print $s "GET /__count$path HTTP/1.0\r\n\r\n";
    local $/;
    my $r = <$s>;
    close $s;
    return $r =~ /\r\n\r\n(\d+)$/ ? $1 : -1;
}

sub stop {
    my $self = shift;
    return unless $self->{owner} == $$ && $self->{pid};
    my $pid = delete $self->{pid};
    kill 'TERM', $pid;
    waitpid $pid, 0;
    delete $backends{$pid};
}

sub DESTROY { my $self = shift; local ($?, $@, $!); $self->stop }

END { local $?; $_->stop for values %backends }

1;
