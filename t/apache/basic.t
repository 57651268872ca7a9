# GeoTag On tags a static article; a repeat is a cache hit with the same bytes.
use strict;
use warnings FATAL => 'all';
use Apache::Test;
use Apache::TestRequest;
use Apache::TestUtil;

plan tests => 9, need_module 'mod_geotag.c';

my $url = '/tagged/samples/it-analisi.html';
my $first = GET $url;
ok t_cmp($first->code, 200, 'a tagged article is served');
ok t_cmp($first->content, qr{<span data-geotag="Country Q212">Ucraina</span>}, 'with entity markup');
ok t_cmp($first->content, qr{<script type="application/ld\+json" id="geotag-jsonld" data-geotag="jsonld">}, 'and the JSON-LD block');
ok t_cmp($first->header('ETag') // '', qr{-gt[0-9a-f]{8}"$}, 'its ETag is its own (-gt suffix)');
ok t_cmp($first->header('X-GeoTag-Result') // '', qr{^(miss|hit)$}, 'the outcome is in the env for logs');
my $second = GET $url;
ok t_cmp($second->header('X-GeoTag-Result'), 'hit', 'the repeat is a cache hit');
ok $second->content eq $first->content;
t_debug 'the hit gives the same bytes as the miss';
my $plain = GET '/samples/it-analisi.html';
ok t_cmp($plain->content, qr{\A(?!.*data-geotag="Country)}s, 'outside GeoTag On nothing is tagged');
ok t_cmp($second->header('X-GeoTag-Mentions') // 0, qr/^[1-9][0-9]*$/, 'the mention count is in the env');
