# Responses meant for one user are never cached: not in GeoTagCache, not in
# a child's memory.  A private httpd (one child, so that its memory sees
# every request) reverse-proxies a scripted backend whose pages depend on
# the Cookie, the Authorization or the Accept-Language of the request.
#
# A response is not stored, and not answered from the cache, when it says
# Cache-Control: private or no-store, carries Set-Cookie, answers a request
# with Authorization (unless it says public, s-maxage or must-revalidate,
# RFC 9111 section 3.5), says Vary: *, or has no strong validator.  Its
# outcome is uncached:REASON (private, no-store, set-cookie, authorization,
# vary, validator) and the counter uncached_REASON grows by one.  It is
# still tagged, and it is always the requesting user's own page.  A
# response with Vary: Accept-Language is cached per Accept-Language value.
use strict;
use warnings FATAL => 'all';
use Apache::Test;
use Apache::TestUtil;
use MIME::Base64 qw(encode_base64);
use lib 't/lib';
use GeotagServer qw(bytes_diff markup result_of);
use GeotagHttpd qw(counter_delta own_page sample unwrap problems lines_diff mentions_of jsonld_canon
                   jsonld_names);

plan tests => 69, need_module 'mod_geotag.c', need_module 'mod_proxy.c',
    need_module 'mod_proxy_http.c';

my $it = sample('it-analisi.html');
my $en = sample('en-analysis.html');

# The Italian article as a user's account page: their name in it, twice,
# padded so that every user's page has the same length (a copy kept for
# one user would fit another's Content-Length).
sub page_for {
    my $user = shift;
    my $b = $it;
    $b =~ s{(<div class="entry-content">)}{$1\n    <p>Hello $user, your saved articles.</p>}
        or die 'no entry-content in the sample';
    $b =~ s{(</article>)}{<p>Account of $user<!--@{[' ' x (2 * (12 - length $user))]}--></p>\n$1}
        or die 'no </article> in the sample';
    return $b;
}
sub user_of {
    my $req = shift;
    my $h = $req->{headers};
    return $1 if ($h->{cookie} // '') =~ /\buser=(\w+)/;
    if (($h->{authorization} // '') =~ /^Basic (\S+)/) {
        my ($u) = split /:/, MIME::Base64::decode_base64($1);
        return $u;
    }
    return 'nobody';
}
sub basic { 'Basic ' . encode_base64("$_[0]:secret", '') }

my $html = 'text/html; charset=utf-8';
# path => the response's headers besides Content-Type (the body: the
# requesting user's page)
my %user_pages = (
    '/cookie.html'       => ['Cache-Control' => 'private, no-store', Vary => 'Cookie',
                             ETag => '"acct-1"'],
    '/private.html'      => ['Cache-Control' => 'private', ETag => '"acct-2"'],
    '/no-store.html'     => ['Cache-Control' => 'no-store', ETag => '"acct-3"'],
    '/set-cookie.html'   => ['Set-Cookie' => 'seen=1; Path=/', ETag => '"acct-4"'],
    '/auth.html'         => [ETag => '"acct-5"'],
    '/vary-star.html'    => [Vary => '*', ETag => '"acct-6"'],
    '/weak.html'         => [ETag => 'W/"acct-7"'],
    '/none.html'         => [],
);
my $be = GeotagHttpd::Backend->start(sub {
    my $req = shift;
    my $p = $req->{path};
    if ($user_pages{$p}) {
        return [200, ['Content-Type' => $html, @{ $user_pages{$p} }], page_for(user_of($req))];
    }
    if ($p =~ m{^/auth-(public|s-maxage|must-revalidate)\.html$}) {
        my $cc = $1 eq 'public' ? 'public' : $1 eq 's-maxage' ? 's-maxage=60' : 'must-revalidate';
        return [200, ['Content-Type' => $html, 'Cache-Control' => $cc, ETag => "\"shared-$1\""], $it];
    }
    if ($p =~ m{^/(lang|lang-private)\.html$}) {
        my $page = $1;    # (the next match resets $1)
        my $english = ($req->{headers}{'accept-language'} // '') =~ /^en/;
        return [200, ['Content-Type' => $html, Vary => 'Accept-Language', ETag => '"lang-1"',
                      $page eq 'lang-private' ? ('Cache-Control' => 'private, no-store') : ()],
                $english ? $en : $it];
    }
    if ($p eq '/ref/en.html') {           # no validator: tagged afresh, the reference
        return [200, ['Content-Type' => $html], $en];
    }
    return [404, ['Content-Type' => 'text/plain'], "not here\n"];
});

my $proxy = sub { "ProxyPass /be/ http://127.0.0.1:" . $be->port . "/\n"
                . "<Location /be/>\n    GeoTag On\n</Location>\n" };
my $h = GeotagHttpd->new;
$h->start($proxy->());

sub delta { counter_delta(@_) }
sub deltas {
    my ($before, $after, @keys) = @_;
    return join ' ', map { "$_ " . delta($before, $after, $_) } @keys;
}
# The response's body with GEOTAG's markup removed, against $want.
sub results { join ',', map { result_of($_) } @_ }

# The English page tagged on its own (no validator: tagged afresh)
my $ref_en = $h->get('/be/ref/en.html');
my @ref_en_mentions = mentions_of($ref_en->content);
t_debug 'the English reference: ' . result_of($ref_en) . ', '
    . scalar(@ref_en_mentions) . ' mentions';
my @italian_names = ('Ucraina', 'Stati Uniti', 'Nazioni Unite', 'Turchia');

# Cache-Control: private, no-store and Vary: Cookie: alice three
# times, then bob gets his own page
{
    my $c0 = $h->counters;
    my @alice = map { $h->get('/be/cookie.html', Cookie => 'user=alice') } 1 .. 3;
    my $bob = $h->get('/be/cookie.html', Cookie => 'user=bob');
    my $c1 = $h->counters;
    ok t_cmp(join(' ', map { own_page($_, page_for('alice')) } @alice),
             'identical identical identical', 'alice gets her own page three times');
    ok t_cmp(join(' ', map { markup($_->content) } @alice, $bob),
             'tagged tagged tagged tagged', 'every response is tagged');
    ok t_cmp(own_page($bob, page_for('bob')), 'identical',
             'then bob gets his own page, not alice\'s');
    ok t_cmp(($bob->content =~ /Hello bob,/ ? 'bob' : '') . ($bob->content =~ /alice/ ? ' alice' : ''),
             'bob', 'his name in it, never alice\'s');
    ok t_cmp(results(@alice, $bob), qr/^uncached:[a-z-]+(,uncached:[a-z-]+){3}$/,
             'private, no-store: uncached:... every time');
    ok t_cmp(deltas($c0, $c1, qw(cache_stores cache_hits cache_memory_hits cache_memory_stores)),
             'cache_stores 0 cache_hits 0 cache_memory_hits 0 cache_memory_stores 0',
             'nothing stored, nothing answered from a cache');
    ok t_cmp(join(' ', map { problems($_->content) } @alice, $bob),
             'none none none none', 'the markup sits where it belongs');
    ok t_cmp($be->count('/cookie.html'), 4, 'the backend answered every request');
}

# Vary: Accept-Language with private, no-store: three Italian
# requests, then an English client gets the English page
{
    my @itr = map { $h->get('/be/lang-private.html', 'Accept-Language' => 'it') } 1 .. 3;
    my $enr = $h->get('/be/lang-private.html', 'Accept-Language' => 'en');
    t_debug "the English client: " . $enr->status_line . ", " . length($enr->content) . " bytes";
    ok t_cmp(join(' ', map { own_page($_, $it) } @itr), 'identical identical identical',
             'the Italian page three times');
    ok t_cmp(own_page($enr, $en), 'identical', 'then the English client gets the English page');
    ok t_cmp(lines_diff([mentions_of($enr->content)], \@ref_en_mentions), 'identical',
             'tagged as the English page is on its own');
    ok t_cmp(bytes_diff(jsonld_canon($enr->content), jsonld_canon($ref_en->content)),
             'identical', 'with the English page\'s JSON-LD');
    ok t_cmp(results(@itr, $enr), qr/^uncached:[a-z-]+(,uncached:[a-z-]+){3}$/,
             'uncached:... every time');
    ok t_cmp(problems($enr->content), 'none', 'its markup sits where it belongs');
}

# One reason each: the outcome, the counter, the user's own page
# (alice three times, then bob), nothing stored nor answered from a cache
for my $case (['/private.html',    'private',    'uncached_private',    Cookie => 'user=%s'],
              ['/no-store.html',   'no-store',   'uncached_no_store',   Cookie => 'user=%s'],
              ['/set-cookie.html', 'set-cookie', 'uncached_set_cookie', Cookie => 'user=%s'],
              ['/auth.html',       'authorization', 'uncached_authorization', Authorization => '%s'],
              ['/vary-star.html',  'vary',       'uncached_vary',       Cookie => 'user=%s']) {
    my ($path, $reason, $counter, $hname, $hfmt) = @$case;
    my $hv = sub { $hname eq 'Authorization' ? basic($_[0]) : sprintf $hfmt, $_[0] };
    my $c0 = $h->counters;
    my @alice = map { $h->get("/be$path", $hname => $hv->('alice')) } 1 .. 3;
    my $bob = $h->get("/be$path", $hname => $hv->('bob'));
    my $c1 = $h->counters;
    ok t_cmp(results(@alice, $bob), join(',', ("uncached:$reason") x 4),
             "$path: uncached:$reason every time");
    ok t_cmp(delta($c0, $c1, $counter), 4, "$path: $counter +1 per response");
    ok t_cmp(join(' ', (map { own_page($_, page_for('alice')) } @alice),
                  own_page($bob, page_for('bob'))),
             'identical identical identical identical',
             "$path: each user gets their own page, tagged ("
             . join(' ', map { markup($_->content) } @alice, $bob) . ')');
    ok t_cmp(deltas($c0, $c1, qw(cache_stores cache_hits)), 'cache_stores 0 cache_hits 0',
             "$path: nothing stored, nothing answered from a cache");
}

# A request with Authorization, a response that allows a shared
# cache to store it (public, s-maxage, must-revalidate): cached
for my $cc (qw(public s-maxage must-revalidate)) {
    my @r = map { $h->get("/be/auth-$cc.html", Authorization => basic($_)) }
        qw(alice bob carol);
    ok t_cmp(results(@r), 'miss,hit,hit', "Authorization and $cc: stored, then hits");
    ok t_cmp(join(' ', map { own_page($_, $it) } @r), 'identical identical identical',
             "Authorization and $cc: the page");
    ok t_cmp(join(' ', map { markup($_->content) } @r), 'tagged tagged tagged', 'tagged');
}

# Vary: Accept-Language without private: cached per Accept-Language
{
    my @itr = map { $h->get('/be/lang.html', 'Accept-Language' => 'it') } 1 .. 3;
    my @enr = map { $h->get('/be/lang.html', 'Accept-Language' => 'en') } 1 .. 3;
    my $it_again = $h->get('/be/lang.html', 'Accept-Language' => 'it');
    ok t_cmp(results(@itr), 'miss,hit,hit', 'Vary: Accept-Language: Italian, a miss then hits');
    ok t_cmp(results(@enr), 'miss,hit,hit', 'English: a miss of its own, then hits');
    ok t_cmp(join(' ', map { own_page($_, $en) } @enr), 'identical identical identical',
             'the English client always gets the English page');
    ok t_cmp(join(' ', map { lines_diff([mentions_of($_->content)], \@ref_en_mentions) } @enr),
             'identical identical identical', 'tagged as the English page is on its own');
    ok t_cmp(join(' ', map { bytes_diff(jsonld_canon($_->content), jsonld_canon($ref_en->content)) } @enr),
             'identical identical identical', 'with the English JSON-LD');
    ok t_cmp(join(' ', map { problems($_->content) } @enr), 'none none none',
             'the markup sits where it belongs');
    ok t_cmp(result_of($it_again) . ' ' . own_page($it_again, $it), 'hit identical',
             'the Italian entry is still the Italian page');
    ok t_cmp(join(' ', map { problems($_->content) } @itr, $it_again),
             'none none none none', 'with its markup where it belongs');
}

# No strong validator (a weak ETag; none at all): uncached:validator
for my $path ('/weak.html', '/none.html') {
    my $c0 = $h->counters;
    my @r = map { $h->get("/be$path", Cookie => "user=$_") } qw(alice bob);
    my $c1 = $h->counters;
    ok t_cmp(results(@r), 'uncached:validator,uncached:validator',
             "$path: uncached:validator");
    ok t_cmp(delta($c0, $c1, 'uncached_validator'), 2, "$path: uncached_validator +1 per response");
    ok t_cmp(own_page($r[0], page_for('alice')) . ' ' . own_page($r[1], page_for('bob'))
             . ' ' . markup($r[1]->content), 'identical identical tagged',
             "$path: tagged, each user's own");
}
$h->stop;

# Vary: Accept-Language and private, no-store with GeoTagCacheMemory
# 0: no replay of the Italian page's edits over the English one
{
    my $h0 = GeotagHttpd->new(memory => 0);
    $h0->start($proxy->());
    my $c0 = $h0->counters;
    my @itr = map { $h0->get('/be/lang-private.html', 'Accept-Language' => 'it') } 1 .. 3;
    my $enr = $h0->get('/be/lang-private.html', 'Accept-Language' => 'en');
    my $c1 = $h0->counters;
    my $names = jsonld_names($enr->content);
    ok t_cmp(own_page($enr, $en), 'identical', 'GeoTagCacheMemory 0: the English page');
    ok t_cmp(join(',', grep { $names =~ /(^|\|)\Q$_\E(\||$)/ } @italian_names), '',
             'its JSON-LD names no entity in Italian');
    ok t_cmp($names, jsonld_names($ref_en->content), 'it names the English page\'s entities');
    ok t_cmp(bytes_diff(jsonld_canon($enr->content), jsonld_canon($ref_en->content)),
             'identical', 'its JSON-LD is the English page\'s');
    ok t_cmp(lines_diff([mentions_of($enr->content)], \@ref_en_mentions), 'identical',
             'its inline markup is the English page\'s');
    ok t_cmp(problems($enr->content), 'none', 'and sits where it belongs');
    ok t_cmp(results(@itr, $enr), qr/^uncached:[a-z-]+(,uncached:[a-z-]+){3}$/,
             'uncached:... every time');
    ok t_cmp(deltas($c0, $c1, qw(cache_stores cache_hits)), 'cache_stores 0 cache_hits 0',
             'nothing stored, nothing answered from the cache');

    # the same with a Cookie and Vary: Cookie
    my @alice = map { $h0->get('/be/cookie.html', Cookie => 'user=alice') } 1 .. 3;
    my $bob = $h0->get('/be/cookie.html', Cookie => 'user=bob');
    ok t_cmp(own_page($bob, page_for('bob')), 'identical',
             'GeoTagCacheMemory 0: bob gets his own page');
    ok t_cmp(problems($bob->content), 'none', 'its markup where it belongs');
    ok t_cmp(results(@alice, $bob), qr/^uncached:[a-z-]+(,uncached:[a-z-]+){3}$/,
             'uncached:... every time');
    ok t_cmp(markup($bob->content), 'tagged', 'tagged');
    $h0->stop;
}
$be->stop;
