# Virtual hosts and the Host header.  The cache key names the virtual host
# that answers by its canonical name and port (its ServerName, the port it
# serves), never by the Host header a client sends:
#  - two port-based virtual hosts serving different files under the same
#    path, with the same length, mtime and ETag, never get each other's
#    edits or pages (nor do two with one ServerName on two ports);
#  - 200 requests for one page with random Host headers are all hits;
#  - the JSON-LD of a page without a canonical link or an @id of its own
#    names it by the virtual host's ServerName and port (as with
#    UseCanonicalName On), never by a Host header, not even from the cache.
# A private httpd with one child, so that its memory sees every request.
use strict;
use warnings FATAL => 'all';
use Apache::Test;
use Apache::TestUtil;
use lib 't/lib';
use GeotagServer qw(bytes_diff markup result_of);
use GeotagHttpd qw(counter_delta own_page sample unwrap problems lines_diff mentions_of jsonld_of);

plan tests => 24, need_module 'mod_geotag.c';

my $h = GeotagHttpd->new(ports => 5);
my $dir = $h->dir;
my @p = $h->ports;

# A's page: the Italian sample; B's: the same with one word replaced by
# another of the same length (Germania, tagged, by Zanzibar, not a
# country).  Same path, length and mtime: the same ETag (FileETag MTime Size).
my $a_page = sample('it-analisi.html');
(my $b_page = $a_page) =~ s/\bGermania\b/Zanzibar/g or die 'no Germania in the sample';
die 'not the same length' unless length $a_page == length $b_page;
# a page without a canonical link, og:url or JSON-LD of its own
(my $bare = $a_page) =~ s{<link rel="canonical"[^>]*>\n}{} or die 'no canonical link';
$bare =~ s{<script type="application/ld\+json">.*?</script>\n}{}s or die 'no JSON-LD';
$bare =~ s{<meta property="og:url"[^>]*>\n}{} or die 'no og:url';

my $when = time - 3600;
sub put {
    my ($rel, $bytes) = @_;
    my $file = "$dir/$rel";
    (my $d = $file) =~ s{/[^/]+$}{};
    mkdir $d;
    open my $fh, '>:raw', $file or die "$file: $!";
    print $fh $bytes;
    close $fh;
    utime $when, $when, $file or die "utime $file: $!";
}
put("a/$_", $a_page) for qw(page.html named.html random.html);
put("b/$_", $b_page) for qw(page.html named.html);
put('c/bare.html', $bare);

$h->start(<<"CONF");
FileETag MTime Size
GeoTag On
<Directory $dir>
    Require all granted
</Directory>
<VirtualHost *:$p[0]>
    DocumentRoot $dir/a
</VirtualHost>
<VirtualHost *:$p[1]>
    DocumentRoot $dir/b
</VirtualHost>
<VirtualHost *:$p[2]>
    ServerName www.example.test
    DocumentRoot $dir/a
</VirtualHost>
<VirtualHost *:$p[3]>
    ServerName www.example.test
    DocumentRoot $dir/b
</VirtualHost>
<VirtualHost *:$p[4]>
    ServerName www.example.test:$p[4]
    DocumentRoot $dir/c
</VirtualHost>
CONF

sub delta { counter_delta(@_) }

# Two virtual hosts (port $pa then port $pb), one path: B's page after A's
# twice is B's, tagged as B alone is; A's after that is A's.
sub two_hosts {
    my ($what, $path, $ia, $ib) = @_;
    my $ref_b = $h->get("$path?ref", $ib);          # B tagged on its own
    my $a1 = $h->get($path, $ia);
    my $a2 = $h->get($path, $ia);
    my $b = $h->get($path, $ib);
    my $a3 = $h->get($path, $ia);
    t_debug "$what: " . join ', ', map { result_of($_) } $ref_b, $a1, $a2, $b, $a3;
    ok t_cmp($ref_b->header('ETag') // '', $a1->header('ETag') // '',
             "$what: both pages have the same ETag (the test's premise)");
    ok t_cmp(own_page($b, $b_page), 'identical', "$what: B's page is B's bytes");
    ok t_cmp(lines_diff([mentions_of($b->content)], [mentions_of($ref_b->content)]),
             'identical', "$what: tagged as B's page is on its own");
    ok t_cmp(($b->content =~ /Zanzibar/ ? 'Zanzibar' : 'no Zanzibar')
             . ($b->content =~ /data-geotag="[^"]*">Zanzibar/ ? ', tagged' : ''),
             'Zanzibar', "$what: B's own word is there, untagged");
    ok t_cmp(problems($b->content), 'none', "$what: B's markup sits where it belongs");
    ok t_cmp(own_page($a3, $a_page) . ' ' . markup($a3->content), 'identical tagged',
             "$what: A's page after that is still A's");
}

# 1-6: two port-based virtual hosts, no ServerName (the main server's)
two_hosts('no ServerName', '/page.html', 0, 1);
# 7-12: one ServerName on two ports
two_hosts('one ServerName, two ports', '/named.html', 2, 3);

# 13-16: random Host headers do not make new keys
{
    srand 20240717;
    my @alnum = ('a' .. 'z', '0' .. '9');
    my $first = $h->get('/random.html');
    my $c0 = $h->counters;
    my ($ok, @results) = (0);
    for my $i (1 .. 200) {
        my $host = ('a' .. 'z')[rand 26]
            . join('', map { $alnum[rand @alnum] } 1 .. int rand 12)
            . ('.example', '.test', '', '.invalid')[$i % 4]
            . ($i % 3 ? '' : ':' . (1 + int rand 65535));
        my $r = $h->get('/random.html', Host => $host);
        push @results, result_of($r);
        t_debug "Host: $host: " . $r->status_line unless $r->is_success;
        $ok++ if own_page($r, $a_page) eq 'identical';
    }
    my $c1 = $h->counters;
    my %n;
    $n{$_}++ for @results;
    t_debug 'outcomes with random Host headers: '
        . join ', ', map { "$_ x$n{$_}" } sort keys %n;
    ok t_cmp(result_of($first), 'miss', 'the page, once: a miss');
    ok t_cmp(delta($c0, $c1, 'cache_hits'), 200,
             '200 requests with random Host headers: cache_hits +200');
    ok t_cmp(delta($c0, $c1, 'cache_stores'), 0, 'and cache_stores +0');
    ok t_cmp($ok, 200, 'every one the page');
}

# 17-24: the Host header never names the page in the JSON-LD
{
    my $want = "http://www.example.test:$p[4]/";
    my $poison = $h->get('/bare.html', 4, Host => '127.0.0.1:6666');
    my $normal = $h->get('/bare.html', 4);
    t_debug 'outcomes: ' . result_of($poison) . ', ' . result_of($normal);
    for ([$poison, 'with Host: 127.0.0.1:6666'], [$normal, 'the next request']) {
        my ($r, $what) = @$_;
        my $d = jsonld_of($r->content);
        my $node = $d ? $d->{'@graph'}[0] : {};
        my $id = $node->{'@id'} // '(no @id)';
        ok t_cmp(markup($r->content), 'tagged', "$what: tagged");
        ok t_cmp($id, qr{^\Q$want\E}, "$what: the page's \@id starts with $want");
        ok t_cmp(($r->content =~ /geotag-jsonld.*6666/s ? 'names 6666' : 'no 6666'), 'no 6666',
                 "$what: the JSON-LD never names port 6666");
        ok t_cmp($node->{url} // $id, qr{^\Q$want\E}, "$what: nor does its url");
    }
}

$h->stop;
