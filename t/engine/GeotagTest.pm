package GeotagTest;
# Helpers for the engine tests: run the real geotag binary, unwrap what it
# inserted, find the shared reference material.
use strict;
use warnings;
use Exporter 'import';
use File::Temp qw(tempfile);
use IPC::Open3;
use Symbol 'gensym';

our @EXPORT = qw(geotag unwrap shared_dir slurp jsonld_of corpus_pages packs_without
                 office_holders role_tags entity_id
                 gazetteer_id);

our $BIN = $ENV{GEOTAG_BIN} || 'build/geotag';

sub slurp {
    my ($path) = @_;
    open my $fh, '<:raw', $path or die "cannot read $path: $!";
    local $/;
    my $s = <$fh>;
    if ($path =~ /\.gz$/) {
        require IO::Uncompress::Gunzip;
        my $out;
        IO::Uncompress::Gunzip::gunzip(\$s => \$out) or die "gunzip $path";
        $s = $out;
    }
    return $s;
}

# geotag($input_bytes, @args) -> ($stdout, $stderr, $exit_code)
sub geotag {
    my ($input, @args) = @_;
    my ($in_fh, $in_path) = tempfile(UNLINK => 1);
    binmode $in_fh;
    print $in_fh $input;
    close $in_fh;
    my ($out_fh, $out_path) = tempfile(UNLINK => 1);
    my ($err_fh, $err_path) = tempfile(UNLINK => 1);
    my $pid = fork();
    die "fork: $!" unless defined $pid;
    if ($pid == 0) {
        open STDIN, '<', $in_path or die;
        open STDOUT, '>', $out_path or die;
        open STDERR, '>', $err_path or die;
        exec $BIN, @args or exit 127;
    }
    waitpid $pid, 0;
    my $rc = $? >> 8;
    return (slurp($out_path), slurp($err_path), $rc);
}

# Remove every element geotag inserted; what remains must be the input.
# unwrap($html, preview => 1) also removes the editor preview's elements,
# each whole: <NAME data-geotag="preview..."> up to the first </NAME>
# (src/preview.h); without it they stay, and so show up in a comparison.
sub unwrap {
    my ($html, %opt) = @_;
    $html =~ s{<(span|style|aside) data-geotag="preview[^"]*"[^>]*>.*?</\1>}{}gs
        if $opt{preview};
    $html =~ s{<script type="application/ld\+json" id="geotag-jsonld" data-geotag="jsonld">[^<]*</script>}{}g;
    $html =~ s{<span data-geotag="[A-Za-z]+ (?:Q[0-9]+|geotag-[a-z0-9-]+)"(?: itemscope itemtype="[^"]*" itemid="[^"]*")?>([^<]*)</span>}{$1}g;
    $html =~ s{<data data-geotag="figure(?: percent| money)?" value="[0-9.]+">([^<]*)</data>}{$1}g;
    $html =~ s{<time data-geotag="date" datetime="[0-9-]+">([^<]*)</time>}{$1}g;
    return $html;
}

# The shared reference material: $GEOTAG_SHARED, else ../shared (from the
# top of the tree, where prove runs).  shared_dir(@subdirs) checks that the
# subdirectories a test reads are there (default: seed); when one is not,
# the test fails then and there with one check naming the missing directory,
# rather than dying later on a path it cannot read.
sub shared_dir {
    my @need = @_ ? @_ : ('seed');
    my $dir = defined $ENV{GEOTAG_SHARED} && length $ENV{GEOTAG_SHARED}
        ? $ENV{GEOTAG_SHARED} : '../shared';
    my @missing = grep { !-d "$dir/$_" } @need;
    return $dir unless @missing;
    require Test::More;
    my $tb = Test::More->builder;
    my $msg = 'the shared reference material is missing: '
        . join(', ', map { "$dir/$_" } @missing)
        . (defined $ENV{GEOTAG_SHARED} ? ' (GEOTAG_SHARED)'
                                       : ' (set GEOTAG_SHARED to where seed/ and corpus/ are)');
    $tb->ok(0, $msg);
    $tb->diag($msg);
    $tb->done_testing unless $tb->has_plan;
    exit 1;
}

# The JSON text of our block, decoded.
sub jsonld_of {
    my ($html) = @_;
    require JSON::PP;
    my ($json) = $html =~ m{<script type="application/ld\+json" id="geotag-jsonld" data-geotag="jsonld">([^<]*)</script>}
        or return undef;
    return JSON::PP->new->decode($json);
}

# Corpus pages: a deterministic sample of up to $n paths.
sub corpus_pages {
    my ($n) = @_;
    my $dir = shared_dir('corpus') . '/corpus/pages';
    my @all = sort grep { -f $_ } glob("$dir/*/*.html $dir/*/*.html.gz $dir/*/*/*.html.gz $dir/*/*/*.html");
    return @all if @all <= $n;
    my $step = @all / $n;
    return map { $all[int($_ * $step)] } 0 .. $n - 1;
}

# A copy of the language packs (conf/lang) in $dir without the <$element>
# words: for a test that a rule stops working when its words are gone.
# Returns the directory and how many words each pack lost ({it => N, ...}).
sub packs_without {
    my ($dir, $element) = @_;
    my %removed;
    mkdir $dir or die "$dir: $!";
    for my $file (glob 'conf/lang/*.xml') {
        (my $name = $file) =~ s{.*/}{};
        (my $lang = $name) =~ s{\.xml$}{};
        my $s = slurp($file);
        $removed{$lang} = ($s =~ s{\s*<\Q$element\E\b[^>]*>[^<]*</\Q$element\E>}{}g) || 0;
        open my $o, '>:raw', "$dir/$name" or die "$dir/$name: $!";
        print $o $s;
        close $o;
    }
    return ($dir, \%removed);
}

# The id of the entity whose English <name> is $name in conf/gazetteer.xml.
sub gazetteer_id {
    my ($name) = @_;
    my $xml = slurp('conf/gazetteer.xml');
    while ($xml =~ m{<entity\b([^>]*)>(.*?)</entity>}gs) {
        my ($attrs, $body) = ($1, $2);
        next unless $body =~ m{<name lang="en"[^>]*>\Q$name\E</name>};
        next unless $attrs =~ /\bid="(Q[0-9]+|local:[a-z0-9-]+)"/;
        my $id = $1;
        # in list context also whether the id may be published
        return wantarray ? ($id, $id =~ /^Q/ && $attrs !~ /\bverified="no"/) : $id;
    }
    return undef;
}

# The default dictionary's offices: English name -> { holder ref -> 1 }.
sub office_holders {
    my $xml = slurp('conf/gazetteer.xml');
    utf8::decode($xml);
    my %holders_of;
    while ($xml =~ m{<office\b[^>]*>(.*?)</office>}gs) {
        my $body = $1;
        my @names = $body =~ m{<name lang="en">([^<]*)</name>}g;
        my @refs = $body =~ m{<holder ref="([^"]+)"}g;
        $holders_of{$_} = { map { $_ => 1 } @refs } for @names;
    }
    return \%holders_of;
}

# "surface=id" of each mention, in order, of a sentence holding $phrase
# (characters, not bytes), on $date if given, with the default dictionary.
sub role_tags {
    my ($lang, $phrase, $date, @args) = @_;
    my $text = $lang eq 'it' ? "Ieri $phrase ha parlato a lungo." : "Yesterday $phrase spoke at length.";
    my $page = qq{<html lang="$lang"><head></head><body><article><p>$text</p></article></body></html>};
    utf8::encode($page);
    my ($out, $err, $rc) = geotag($page, '--mentions', '--types', 'actors',
                                  ($date ? ('--date', $date) : ()), @args);
    die "geotag failed: $err" if $rc != 0;
    utf8::decode($out);
    return join ' ', map { my @f = split /\t/; "$f[4]=$f[3]" } split /\n/, $out;
}

# The id of the entity whose English name is $name (characters), or undef.
my %entity_ids;
sub entity_id {
    my ($name) = @_;
    my $bytes = $name;
    utf8::encode($bytes);
    $entity_ids{$name} //= gazetteer_id($bytes);
    return $entity_ids{$name};
}

1;
