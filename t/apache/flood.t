# A cache that does not answer (memcached down) does not flood the error
# log: a few GT112/GT113 lines at most, however many requests fail, and
# the failures are counted on the status page (cache_errors).  The pages
# are still served, tagged.
use strict;
use warnings FATAL => 'all';
use Apache::Test;
use Apache::TestUtil;
use lib 't/lib';
use GeotagServer qw(markup);
use GeotagHttpd qw(sample free_port);

plan tests => 3, need_module 'mod_geotag.c';

# a port where nothing listens
my $dead = free_port();
my $h = GeotagHttpd->new(cache => "memcache:127.0.0.1:$dead", modules => ['socache_memcache']);
my $page = $h->htdocs . '/article.html';
open my $fh, '>:raw', $page or die "$page: $!";
print $fh sample('it-analisi.html');
close $fh;
utime time - 600, time - 600, $page or die "utime: $!";
$h->start("GeoTag On\n");

my $c0 = $h->counters;
my ($ok, $tagged) = (0, 0);
for (1 .. 300) {
    my $r = $h->get('/article.html');
    $ok++ if $r->code == 200;
    $tagged++ if markup($r->content) eq 'tagged';
}
my $c1 = $h->counters;

open my $log, '<', $h->error_log or die $h->error_log . ": $!";
my @lines = grep { /GT11[23]:/ } <$log>;
close $log;
t_debug 'first GT112/GT113 line: ' . ($lines[0] // '(none)');

ok t_cmp("$ok $tagged", '300 300', '300 requests answered, tagged, with the cache down');
ok t_cmp(@lines <= 5 ? 'at most 5' : scalar(@lines) . ' lines', 'at most 5',
         'GT112/GT113 lines in the error log for 300 failed cache requests');
my $errors = defined $c1->{cache_errors} && defined $c0->{cache_errors}
    ? $c1->{cache_errors} - $c0->{cache_errors} : '(no counter cache_errors)';
ok t_cmp($errors =~ /^[0-9]+$/ && $errors >= 300 ? 'at least 300' : $errors, 'at least 300',
         'the status page counts the cache failures (cache_errors)');
$h->stop;
