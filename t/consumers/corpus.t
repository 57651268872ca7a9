# Every corpus page (../shared/corpus/pages, 323 pages) served by a real
# httpd with the module, judged by software this project did not write:
# bytes (our insertions removed, the original bytes), parse5 (the same DOM
# after unwrapping, nothing inserted where DESIGN §4 forbids it), jsonld.js
# (safe-mode expansion, no undefined @id, the page's article @id reused),
# the structured-data validator (no new error or warning), vnu (no new
# error), and headless Chromium on a sample of tagged pages (innerText,
# element boxes to 0.5 px with JavaScript off, JSON.parse of our block).
#
# GEOTAG_CONSUMERS_PAGES=N checks N pages only (evenly spaced in name
# order: for trying a change; make test checks them all).
#
# A page that fails a check because of a known defect is listed in
# t/consumers/known.tsv with the defect's name: the check then expects it
# to fail, and reports when it starts passing.
use strict;
use warnings;
use Test::More;
use File::Temp qw(tempdir);
use File::Find;
use IO::Uncompress::Gunzip qw(gunzip $GunzipError);
use lib 't/lib', 't/consumers';
use GeotagHttpd;
use Consumers;

binmode Test::More->builder->$_, ':encoding(UTF-8)' for qw(output failure_output todo_output);

my $CHROMIUM_SAMPLE = $ENV{GEOTAG_CHROMIUM_SAMPLE} // 20;

my @missing = Consumers::missing_tools();
ok(!@missing, 'the consumers are installed') or do {
    diag "missing: $_" for @missing;
    diag 'make test installs them (t/deps.sh test, then npm ci in t/consumers)';
    done_testing;
    exit 1;
};
my $shared = Consumers::shared();
my $corpus = "$shared/corpus/pages";

my @pages;
find({ no_chdir => 1, wanted => sub {
    push @pages, substr($_, length($corpus) + 1)
        if -f $_ && /\.html(\.gz)?$/ && !/\.expected\.html$/;
} }, $corpus);
@pages = sort @pages;
cmp_ok(scalar @pages, '>=', 300, 'the corpus pages are there (' . scalar(@pages) . ')');
my $subset = $ENV{GEOTAG_CONSUMERS_PAGES};
if ($subset && $subset < @pages) {
    my $step = @pages / $subset;
    @pages = map { $pages[int($_ * $step)] } 0 .. $subset - 1;
}

# The server: the corpus read-only through an Alias, GeoTag On; the gzip
# files through INFLATE;GEOTAG.  /orig/ serves the same bytes untagged
# (for Chromium).
my $h = GeotagHttpd->new(modules => ['deflate']);
$h->start(<<"CONF");
<Directory "$corpus">
    Require all granted
    Options None
    AllowOverride None
    RemoveType .gz
    AddEncoding gzip .gz
    ForceType text/html
</Directory>
Alias /tagged/ "$corpus/"
Alias /tagged-gz/ "$corpus/"
Alias /orig/ "$corpus/"
Alias /orig-gz/ "$corpus/"
<Location /tagged/>
    GeoTag On
</Location>
<Location /tagged-gz/>
    SetOutputFilter INFLATE;GEOTAG
</Location>
<Location /orig-gz/>
    SetOutputFilter INFLATE
</Location>
CONF

my $dir = tempdir('geotag-consumers-XXXXXX', TMPDIR => 1, CLEANUP => !$ENV{GEOTAG_KEEP_CONSUMERS});
mkdir "$dir/orig";
mkdir "$dir/tagged";
my (@pairs, @fetch_errors);
for my $i (0 .. $#pages) {
    my $rel = $pages[$i];
    my $gz = $rel =~ /\.gz$/;
    my $raw = Consumers::slurp("$corpus/$rel");
    my $orig = $raw;
    if ($gz) {
        gunzip(\$raw => \$orig) or die "gunzip $rel: $GunzipError";
    }
    my $tagged_path = ($gz ? '/tagged-gz/' : '/tagged/') . $rel;
    my $res = $h->get($tagged_path);
    if (!$res->is_success) {
        push @fetch_errors, "$rel: " . $res->status_line;
        next;
    }
    my $base = sprintf '%03d.html', $i;
    Consumers::spew("$dir/orig/$base", $orig);
    Consumers::spew("$dir/tagged/$base", $res->content);
    push @pairs, { name => $rel, orig => "$dir/orig/$base", tagged => "$dir/tagged/$base",
                   orig_url => $h->url(($gz ? '/orig-gz/' : '/orig/') . $rel),
                   tagged_url => $h->url($tagged_path),
                   ours => scalar($res->content =~ /id="geotag-jsonld" data-geotag="jsonld"/) };
}
is(scalar @fetch_errors, 0, 'every page served with 200') or do { diag $_ for @fetch_errors };
my $tagged_n = grep { $_->{ours} } @pairs;
cmp_ok($tagged_n, '>=', $subset ? 1 : 50, "pages that got our JSON-LD: $tagged_n");

my $known = Consumers::known('t/consumers/known.tsv');

# Chromium: a deterministic sample of the pages that got our markup,
# evenly spaced in name order, and those known.tsv lists for it (which
# pages are tagged moves the sample; a known failure is checked always)
my @with = grep { $_->{ours} } @pairs;
my @sample;
if (@with <= $CHROMIUM_SAMPLE) { @sample = @with }
else {
    my $step = @with / $CHROMIUM_SAMPLE;
    my %in = map { (int($_ * $step) => 1) } 0 .. $CHROMIUM_SAMPLE - 1;
    @sample = map { $with[$_] }
        grep { $in{$_} || $known->{"chromium\t$with[$_]{name}"} } 0 .. $#with;
}

my @results = Consumers::run_checks($dir, \@pairs, chromium => [map { $_->{name} } @sample]);
my %time = %Consumers::TIME;

my (%pages, %fail, %known_fail, %newly_passing, @unexpected);
for my $r (@results) {
    my $key = "$r->{check}\t$r->{name}";
    $pages{$r->{check}}++;
    if (!$r->{ok}) {
        $fail{$r->{check}}++;
        if ($known->{$key}) { $known_fail{$r->{check}}++ }
        else { push @unexpected, $r }
    }
    elsif ($known->{$key}) {
        push @{ $newly_passing{$r->{check}} }, "$r->{name} ($known->{$key})";
    }
}
my %seen = map { ("$_->{check}\t$_->{name}" => 1) } @results;
my @stale = $subset ? () : grep { !$seen{$_} } sort keys %$known;

diag sprintf '%-10s %6s %9s %6s %4s %6s', qw(check pages failures known new time);
for my $c (@Consumers::CHECKS) {
    diag sprintf '%-10s %6d %9d %6d %4d %5.0fs', $c, $pages{$c} // 0, $fail{$c} // 0,
        $known_fail{$c} // 0, scalar(grep { $_->{check} eq $c } @unexpected), $time{$c};
}
diag 'Chromium sample: ' . join(' ', map { $_->{name} } @sample);

for my $c (@Consumers::CHECKS) {
    my @u = grep { $_->{check} eq $c } @unexpected;
    cmp_ok($pages{$c} // 0, '>', 0, "$c: ran on pages");
    ok(!@u, "$c: no failure beyond the known defects") or do {
        diag "$c FAILED: $_->{name}: $_->{detail}" for @u;
    };
    ok(!$newly_passing{$c}, "$c: every known failure still fails") or do {
        diag "$c: now passes, take it out of t/consumers/known.tsv: $_" for @{ $newly_passing{$c} };
    };
}
ok(!@stale, 'every entry of known.tsv names a page the suite checked') or do {
    diag "not checked: $_" for @stale;
};
if ($ENV{GEOTAG_CONSUMERS_VERBOSE}) {
    diag "known $_->{check} $_->{name}: $_->{detail}" for grep { !$_->{ok} && $known->{"$_->{check}\t$_->{name}"} } @results;
}

done_testing();
