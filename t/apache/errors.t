# A response that ends in an error (the backend broke off) is passed on as
# it is and never stored: the next request is not a cache hit.
use strict;
use warnings FATAL => 'all';
use Apache::Test;
use Apache::TestRequest;
use Apache::TestUtil;
use JSON::PP;
use lib 't/lib';
use GeotagServer qw(probe probe_outcome);

plan tests => 5, need_module 'mod_geotag.c', 'proxy_http', 'cgid';

sub counters {
    my $r = GET '/geotag-status?json';
    return JSON::PP->new->decode($r->content)->{counters};
}

my $url = '/broken-proxy/broken.pl?e' . time;
my $before = counters();
my $id1 = probe('errors');
my $first = GET $url, 'X-GT-Probe' => $id1;
t_debug('first: ' . $first->code . ' ' . length($first->content) . ' bytes');
ok t_cmp(probe_outcome($id1, $url), qr/^(miss|uncached:[a-z-]+)$/, 'the broken response went through the filter');
my $id2 = probe('errors');
my $second = GET $url, 'X-GT-Probe' => $id2;
ok t_cmp(probe_outcome($id2, $url), qr/^(miss|uncached:[a-z-]+)$/, 'the repeat is not a cache hit');
my $after = counters();
ok t_cmp($after->{cache_stores} - $before->{cache_stores}, 0, 'nothing was stored');
ok t_cmp($after->{cache_hits} - $before->{cache_hits}, 0, 'and nothing was replayed');
ok t_cmp($second->content, qr/Vladimir Putin/, 'the part the backend sent reached the client');
