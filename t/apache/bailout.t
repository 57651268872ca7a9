# Bail-out: once the engine gives up on a page (here an opt-out in its
# head), the filter stops reading: the rest of the body goes on in its own
# buckets, a file as a file (sendfile), never handed to the engine.
use strict;
use warnings FATAL => 'all';
use Apache::Test;
use Apache::TestRequest;
use Apache::TestUtil;
use File::Spec::Functions qw(catfile);
use JSON::PP;
use lib 't/lib';
use GeotagServer qw(slurp disk bytes_diff probe probe_outcome write_fixture);

plan tests => 6, need_module 'mod_geotag.c';

sub counters {
    my $r = GET '/geotag-status?json';
    die 'geotag-status: ' . $r->status_line unless $r->is_success;
    return JSON::PP::decode_json($r->content)->{counters};
}
sub delta { $_[1]->{$_[2]} - $_[0]->{$_[2]} }

# A 1 MB article full of names that opts out in its head: the engine stops
# at the <meta>, within the first piece the filter reads (64 KB).
my $sample = disk('samples/en-analysis.html');
my ($head, $body) = $sample =~ m{\A(.*?</head>)(.*)\z}s or die 'no </head>';
$head =~ s{</head>}{<meta name="geotag" content="off">\n</head>};
my $page = $head;
$page .= $body while length($page) < 1024 * 1024;
my $name = "bailout-$$.html";
write_fixture("bypass/$name", $page, 120);

my $before = counters();
# a 1 MB body streams: its headers leave before the outcome is known, so
# the outcome is read from the probe log
my $id = probe('bailout');
my $r = GET "/bypass/$name", 'X-GT-Probe' => $id;
ok t_cmp(probe_outcome($id, "/bypass/$name"), 'page:opted-out', 'the page opts out');
my $after = counters();
ok t_cmp(bytes_diff($r->content, $page), 'identical', 'and passes byte for byte');
ok t_cmp(delta($before, $after, 'bytes_in'), length($page), 'all of it counts as bytes in');

# GT019 (debug; Apache::Test logs at debug) says how much the engine read
my $log = slurp(catfile(Apache::Test::vars('t_logs'), 'error_log'));
my ($read) = $log =~ /GT019: \/bypass\/\Q$name\E: the engine stopped \(opted-out\) after (\d+) bytes/;
ok t_cmp(defined $read ? 'stopped' : 'read to the end', 'stopped',
         'the filter stopped feeding the engine (GT019)');
$read //= length($page);
ok t_cmp($read <= 65536 ? 'first piece' : "$read bytes", 'first piece',
         "only the first piece was read ($read of " . length($page) . ' bytes)');
my $zero_copy = delta($before, $after, 'bytes_zero_copy');
ok t_cmp($zero_copy >= length($page) - $read ? 'the rest' : "+$zero_copy", 'the rest',
         "the rest went on in its own buckets (bytes_zero_copy +$zero_copy)");
