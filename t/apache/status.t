# The geotag-status page (text and ?json), its mod_status section, and
# counters that are server-wide (shared by every child).
use strict;
use warnings FATAL => 'all';
use Apache::Test;
use Apache::TestRequest;
use Apache::TestUtil;
use File::Spec::Functions qw(catfile);
use JSON::PP ();

plan tests => 25, need_module 'mod_geotag.c', 'status';

sub status_json {
    my $r = GET '/geotag-status?json';
    my $data = eval { JSON::PP::decode_json($r->content) };
    return ($r, $data, $@);
}

# The child that served a request, from the outcome log (bypass.conf.in).
sub logged_pid {
    my $id = shift;
    my $file = catfile(Apache::Test::vars('t_logs'), 'geotag_probe_log');
    for (1 .. 50) {
        if (open my $fh, '<', $file) {
            while (my $line = <$fh>) {
                my @f = split ' ', $line;
                return $f[-1] if $f[0] eq $id;
            }
        }
        select undef, undef, undef, 0.1;
    }
    return undef;
}

# something for the counters to count
my $article = GET '/tagged/samples/en-analysis.html';
ok t_cmp($article->code, 200, 'a tagged article was served');

# 2-7: the text page
my $text = GET '/geotag-status';
my $body = $text->content;
ok t_cmp($text->code, 200, 'GET /geotag-status: 200');
ok t_cmp($text->header('Content-Type') // '', qr{^text/plain\b}, 'text/plain');
ok t_cmp($body =~ /^mod_geotag status$/m ? 'title' : 'no title', 'title',
         'it says "mod_geotag status"');
my ($entities) = $body =~ /^entities: (\d+)$/m;
ok t_cmp(defined $entities && $entities > 100 ? 'over 100' : $entities // '(no entities line)',
         'over 100', 'the dictionary line "entities:" has more than 100 ('
         . ($entities // '?') . ')');
my @counter_lines = grep { $body =~ /^\Q$_\E: \d+$/m }
    'requests', 'tagged', 'cache hits', 'cache misses', 'bytes zero-copy',
    'skipped: type';
ok t_cmp(scalar @counter_lines, 6, 'the counter lines are there (' .
         join(', ', @counter_lines) . ')');
my ($text_generation) = $body =~ /^generation: (\S+)$/m;
ok t_cmp($text_generation // '(none)', qr/^[0-9a-f]{40}$/,
         'the text page gives the dictionary generation');
my ($pages) = $body =~ /^GeoTagCacheMemoryPages: (\d+)$/m;
my ($used) = $body =~ /^GeoTagCacheMemoryBytes: (\d+)$/m;
my ($budget) = $body =~ /^GeoTagCacheMemoryBudget: (\d+)$/m;
ok t_cmp(defined $pages && defined $used && defined $budget && $budget > 0 &&
         $used <= $budget ? 'within' : 'missing or over',
         'within', "the answering child's memory: pages, bytes within the budget ("
         . join('/', map { $_ // '?' } $pages, $used, $budget) . ')');

ok t_cmp(($body =~ /^GeoTagCacheSealed: (\S+)$/m)[0] // '(no GeoTagCacheSealed line)',
         'no-secret', 'the page says the cache entries are sealed without a secret');

# 8-12: ?json
my ($json, $data, $error) = status_json();
ok t_cmp($json->header('Content-Type') // '', qr{^application/json\b},
         '?json is application/json');
ok t_cmp(ref $data eq 'HASH' ? 'an object' : "not JSON: $error", 'an object',
         'and decodes with JSON::PP');
ok t_cmp(($data->{counters}{requests} // 0) >= 1 ? 'at least 1' : 'none',
         'at least 1', 'counters.requests counts the article ('
         . ($data->{counters}{requests} // 'undef') . ')');
ok t_cmp($data->{dictionary}{generation} // '(none)', qr/^[0-9a-f]{40}$/,
         'dictionary.generation is 40 hex digits');
ok t_cmp($data->{dictionary}{generation} // '', $text_generation // '(none)',
         'the same generation as the text page');

# 13-14: the version, from debian/changelog (the one place it is written)
{
    open my $fh, '<', 'debian/changelog' or die "debian/changelog: $!";
    my ($version) = <$fh> =~ /\(([^)]+)\)/;
    ok t_cmp(($body =~ /^version: (\S+)$/m)[0] // '(no version line)',
             $version, "the text page gives the version ($version)");
    ok t_cmp($data->{version} // '(no version)', $version,
             'and ?json its "version"');
}

# 15-16: only GET (and HEAD)
{
    my $r = POST '/geotag-status', content => 'x=1';
    ok t_cmp($r->code, 405, 'POST /geotag-status: 405');
    ok t_cmp($r->header('Allow') // '', qr/\bGET\b/, 'Allow names GET');
}

# 17-19: the mod_status section
{
    my $auto = GET '/server-status?auto';
    ok t_cmp($auto->code, 200, '/server-status?auto is served');
    ok t_cmp($auto->content =~ /^GeoTagRequests: \d+$/m ? 'GeoTagRequests' : 'missing',
             'GeoTagRequests', '?auto has a GeoTagRequests: line');
    my $html = GET '/server-status';
    ok t_cmp($html->content =~ m{<h2>mod_geotag</h2>} ? 'section' : 'missing',
             'section', 'the HTML page has the mod_geotag section');
}

# 20-23: server-wide counters: requests on fresh connections (no
# keep-alive), so several children serve them (the outcome log says which)
{
    Apache::TestRequest::user_agent(reset => 1, keep_alive => 0);
    my (undef, $before) = status_json();
    my ($made, $ok, %pids) = (0, 0);
    # at least 20, more until two children have served some (at most 80)
    while ($made < 20 || (keys %pids < 2 && $made < 80)) {
        $made++;
        my $id = "status-$$-$made";
        my $r = GET "/tagged/samples/it-analisi.html?status=$made", 'X-GT-Probe' => $id;
        $ok++ if $r->code == 200 && defined $r->header('X-GeoTag-Result');
        my $pid = logged_pid($id);
        $pids{$pid}++ if $pid;
    }
    my (undef, $after) = status_json();
    ok t_cmp($ok, $made, "$made tagged requests");
    ok t_cmp(scalar(keys %pids) >= 2 ? 'several' : 'one', 'several',
             'served by several children (' . join(', ', map { "pid $_: $pids{$_}" }
                                                  sort keys %pids) . ')');
    my $grew = $after->{counters}{requests} - $before->{counters}{requests};
    ok t_cmp($grew >= $made ? 'all counted' : $grew, 'all counted',
             "requests grew by at least $made ($grew)");
    my $lookups = $after->{counters}{cache_hits} + $after->{counters}{cache_misses}
        - $before->{counters}{cache_hits} - $before->{counters}{cache_misses};
    ok t_cmp($lookups >= $made ? 'all counted' : $lookups, 'all counted',
             "and so were their cache lookups ($lookups)");
}
