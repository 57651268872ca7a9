# The subject of the JSON-LD (the node that gets about and mentions) always
# has an @id when the page gives one anywhere, in this order: the page's
# article @id, its mainEntityOfPage, the canonical link, og:url, the URL
# (--url; in the module, the request's).  Blank nodes only from the command,
# for a page with none of these.  Small pages for each step, then every
# corpus page.
use strict;
use warnings;
use lib 't/engine';
use Test::More;
use JSON::PP ();
use GeotagTest;

sub subject_id {
    my ($page, @args) = @_;
    my ($out, $err, $rc) = geotag($page, '--jsonld', @args);
    die "geotag: $err" if $rc;
    return '(no JSON-LD)' unless length $out;
    my $doc = JSON::PP->new->decode($out);
    my ($s) = grep { $_->{mentions} || $_->{about} } @{ $doc->{'@graph'} || [$doc] };
    return '(no subject)' unless $s;
    return $s->{'@id'} // '(blank)';
}

my $body = '<body><article><p>La Russia e la Cina.</p></article></body>';
my $ld = '<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle",'
       . '"@id":"https://ex.org/a#article","mainEntityOfPage":"https://ex.org/main"}</script>';
(my $ld_main = $ld) =~ s/"\@id":"[^"]*",//;
my $canon = '<link rel="canonical" href="https://ex.org/canonical">';
my $og = '<meta property="og:url" content="https://ex.org/og">';

is(subject_id("<html><head>$ld$canon$og</head>$body"), 'https://ex.org/a#article', "the article's \@id first");
is(subject_id("<html><head>$ld_main$canon$og</head>$body"), 'https://ex.org/main', 'then mainEntityOfPage');
is(subject_id(qq{<html><head><meta itemprop="mainEntityOfPage" content="https://ex.org/md">$canon$og</head>$body}),
   'https://ex.org/md', "then the page's microdata mainEntityOfPage");
is(subject_id("<html><head>$canon$og</head>$body"), 'https://ex.org/canonical', 'then the canonical link');
is(subject_id("<html><head>$og</head>$body"), 'https://ex.org/og', 'then og:url');
is(subject_id("<html><head>$og</head>$body", '--url', 'https://ex.org/req?x=1'), 'https://ex.org/og',
   'og:url before the request URL');
is(subject_id("<html><head></head>$body", '--url', 'https://ex.org/req?x=1'), 'https://ex.org/req',
   'then the URL, without its query');
is(subject_id("<html><head></head>$body"), '(blank)', 'none of them (the command without --url): a blank node');
is(subject_id('<html><head><meta property="og:url" content="/rel/page"><link rel="canonical" href="https://ex.org/x/"></head>' . $body),
   'https://ex.org/x/', 'the canonical link wins over og:url');

# every corpus page: an @id whenever the page names itself
my ($pages, @blank) = (0);
for my $file (corpus_pages(100000)) {
    my $page = $file =~ /\.gz$/ ? `gzip -dc '$file'` : slurp($file);
    my $id = subject_id($page);
    next if $id eq '(no JSON-LD)';
    $pages++;
    my $names_itself = $page =~ /rel=["']?canonical|og:url|"mainEntityOfPage"|application\/ld\+json/i;
    push @blank, $file if $id eq '(blank)' && $names_itself;
    # given the request's URL, never blank (asked only where it would be)
    push @blank, "$file (--url)"
        if $id eq '(blank)' && subject_id($page, '--url', 'https://ex.org/r') eq '(blank)';
}
ok($pages > 100, "corpus pages with a JSON-LD block: $pages");
is(scalar(@blank), 0, 'no corpus page that names itself (or is given --url) gets a blank subject')
    or diag join "\n", @blank;

done_testing();
