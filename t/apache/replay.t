# A body that changes under the same validator never comes out corrupted.
# A backend sends the same strong ETag (and the same Content-Length, or
# not) with other bytes: a word inserted early in the article shifts
# everything after it.  Cached edits replayed over it would land inside
# words and tags; a page kept in a child's memory would be the old page.
# Whatever the cache holds, every response is the backend's body of that
# request with GEOTAG's markup where it belongs.  A replay that finds that
# the body is not the one its edits were made from ends as `mismatch`
# (counter cache_replay_mismatch), and the entry is dropped: the next
# request is a miss.  A body of another Content-Length than the entry's is
# a mismatch found before anything is replayed: it is tagged anew (miss).
# The memory keeps only pages with a strong ETag, and a page answered from
# it is not read (that is its point): a strong ETag vouches for the body,
# so under a lying strong ETag of the same length the memory answers with
# the page it kept, whole.  A file under FileETag None (Last-Modified +
# Content-Length) changed within the same second is replayed with the
# check, never answered from memory.
use strict;
use warnings FATAL => 'all';
use Apache::Test;
use Apache::TestUtil;
use lib 't/lib';
use GeotagServer qw(bytes_diff markup result_of);
use GeotagHttpd qw(counter_delta own_page sample unwrap problems);

plan tests => 22, need_module 'mod_geotag.c', need_module 'mod_proxy.c',
    need_module 'mod_proxy_http.c';

my $pad = 24;
my $base = sample('it-analisi.html');
$base =~ s{(</body>)}{<!--@{[' ' x $pad]}-->\n$1} or die 'no </body> in the sample';
my $word = 'Aggiornamento: ';
# the same length: the word early, the padding near the end shorter
(my $shifted = $base) =~ s{(<div class="entry-content">\s*<p>)}{$1$word}
    or die 'no entry-content in the sample';
$shifted =~ s{<!-- {$pad}-->}{'<!--' . (' ' x ($pad - length $word)) . '-->'}e or die;
die 'not the same length' unless length $shifted == length $base;
# longer: the word, nothing taken away
(my $grown = $base) =~ s{(<div class="entry-content">\s*<p>)}{$1$word} or die;

# /mK/shift.html and /mK/grow.html: the base page for the first K requests,
# then the changed one, always under ETag "same"
my $be = GeotagHttpd::Backend->start(sub {
    my $req = shift;
    my ($k, $what) = $req->{path} =~ m{^/m(\d+)/(shift|grow)\.html$}
        or return [404, ['Content-Type' => 'text/plain'], "not here\n"];
    my $body = $req->{count} <= $k ? $base : $what eq 'shift' ? $shifted : $grown;
    return [200, ['Content-Type' => 'text/html; charset=utf-8', ETag => '"same"'], $body];
});

sub delta { counter_delta(@_) }

# The requests of $path, against the bodies the backend sent, and the
# outcomes expected.
# (A body given as [a, b] may be either.)
sub check {
    my ($h, $what, $path, $bodies, $outcomes, $mismatches) = @_;
    my $c0 = $h->counters;
    my @r = map { $h->get($path) } @$bodies;
    my $c1 = $h->counters;
    my $whole = sub {
        my ($res, $want) = @_;
        return own_page($res, $want) unless ref $want;
        my @d = map { own_page($res, $_) } @$want;
        return (grep { $_ eq 'identical' } @d) ? 'identical' : $d[0];
    };
    ok t_cmp(join(' ', map { $whole->($r[$_], $bodies->[$_]) } 0 .. $#r),
             join(' ', ('identical') x @r), "$what: every response is the backend's body");
    ok t_cmp(join(' ', map { problems($_->content) . '/' . markup($_->content) } @r),
             join(' ', ('none/tagged') x @r),
             "$what: tagged, the markup never inside a word or a tag");
    ok t_cmp(join(',', map { result_of($_) } @r), $outcomes, "$what: $outcomes");
    $mismatches //= 1;
    ok t_cmp(delta($c0, $c1, 'cache_replay_mismatch'), $mismatches,
             "$what: cache_replay_mismatch +$mismatches");
    return ($c0, $c1);
}

my $proxy = "ProxyPass /be/ http://127.0.0.1:" . $be->port . "/\n"
    . "<Location /be/>\n    GeoTag On\n</Location>\n";

# GeoTagCacheMemory 0: the second body is the changed one
{
    my $h = GeotagHttpd->new(memory => 0);
    $h->start($proxy);
    check($h, 'memory off, same length', '/be/m1/shift.html',
          [$base, $shifted, $shifted, $shifted], 'miss,mismatch,miss,hit');
    check($h, 'memory off, longer', '/be/m1/grow.html',
          [$base, $grown, $grown, $grown], 'miss,miss,hit,hit');
    $h->stop;
}

# The memory on (one child): the page is kept at its second hit, the
# fourth body is the changed one
{
    my $h = GeotagHttpd->new;
    my $lm = $h->htdocs . '/lm';
    mkdir $lm;
    $h->start($proxy . <<"CONF");
<Directory $lm>
    FileETag None
    GeoTag On
</Directory>
CONF
    check($h, 'memory on, same length', '/be/m3/shift.html',
          [$base, $base, $base, [$base, $shifted], [$base, $shifted]],
          'miss,hit,hit,hit,hit', 0);
    check($h, 'memory on, longer', '/be/m3/grow.html',
          [$base, $base, $base, $grown, $grown], 'miss,hit,hit,miss,hit');

    # a file under FileETag None, changed on disk with the same length and
    # the same mtime (the same second)
    my $file = "$lm/page.html";
    my $when = time - 600;
    my $write = sub {
        open my $fh, '>:raw', $file or die "$file: $!";
        print $fh $_[0];
        close $fh;
        utime $when, $when, $file or die "utime: $!";
    };
    $write->($base);
    my $c0 = $h->counters;
    my @r = map { $h->get('/lm/page.html') } 1 .. 3;
    $write->($shifted);
    push @r, map { $h->get('/lm/page.html') } 1 .. 2;
    my $c1 = $h->counters;
    my @bodies = ($base, $base, $base, $shifted, $shifted);
    ok t_cmp(($r[0]->header('ETag') // 'no ETag') . ', ' . ($r[0]->header('Last-Modified') ? 'Last-Modified' : ''),
             qr/^no ETag, Last-Modified$/, 'FileETag None: Last-Modified, no ETag (the premise)');
    ok t_cmp(join(' ', map { own_page($r[$_], $bodies[$_]) } 0 .. $#r),
             join(' ', ('identical') x @r), 'FileETag None: every response is the file as it is');
    ok t_cmp(join(' ', map { problems($_->content) . '/' . markup($_->content) } @r),
             join(' ', ('none/tagged') x @r), 'FileETag None: tagged, the markup where it belongs');
    ok t_cmp(join(',', map { result_of($_) } @r), 'miss,hit,hit,mismatch,miss',
             'FileETag None: miss, hit, hit, mismatch, miss');
    ok t_cmp(delta($c0, $c1, 'cache_replay_mismatch'), 1, 'FileETag None: cache_replay_mismatch +1');
    ok t_cmp(delta($c0, $c1, 'cache_memory_stores') . ' ' . delta($c0, $c1, 'cache_memory_hits'),
             '0 0', 'FileETag None: never kept in memory, never answered from it');
    $h->stop;
}
$be->stop;
