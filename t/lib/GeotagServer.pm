# Helpers shared by the server tests (t/apache/*.t).  Apache::Test runs
# every test from the top directory, so a test loads this with
#
#   use lib 't/lib';
#   use GeotagServer qw(slurp bytes_diff ...);
#
# Nothing is exported by default.  (The engine tests' helpers, among them a
# slurp that also gunzips, are t/engine/GeotagTest.pm.)
package GeotagServer;
use strict;
use warnings FATAL => 'all';
use Exporter 'import';
use Apache::Test ();
use Apache::TestUtil qw(t_write_file);
use File::Spec::Functions qw(catfile);
use IO::Socket::INET;
use GeotagHttpd qw(free_port bytes_diff);   # exported from here too

our @EXPORT_OK = qw(
    slurp disk bytes_diff markup result_of
    probe probe_outcome nth_outcome
    write_fixture free_port
);

# The bytes of a file, as they are on disk.
sub slurp {
    my $file = shift;
    open my $fh, '<:raw', $file or die "$file: $!";
    local $/;
    return scalar <$fh>;
}

# The bytes of a file under the DocumentRoot ('samples/it-analisi.html').
sub disk { slurp(catfile(Apache::Test::vars('documentroot'), split m{/}, shift)) }


# 'tagged' if a body holds an inline mention (<span data-geotag="Country
# ...">), else 'untagged': bodies are summarized for t_cmp, whole pages
# make unreadable diagnostics.  (bypass.t has its own, broader test.)
sub markup { $_[0] =~ /<span data-geotag="[A-Z]/ ? 'tagged' : 'untagged' }

# The outcome GEOTAG reported in the X-GeoTag-Result header of a response.
sub result_of { $_[0]->header('X-GeoTag-Result') // '(no X-GeoTag-Result)' }

# A fresh id for the X-GT-Probe request header: "$prefix-PID-N", the prefix
# naming the test so that its lines in the probe log are its own.
my %probes;
sub probe {
    my $prefix = shift;
    return sprintf '%s-%d-%d', $prefix, $$, ++$probes{$prefix};
}

# The outcome (geotag-result) logged for the request of $uri that carried
# X-GT-Probe: $id, from t/logs/geotag_probe_log (t/conf/bypass.conf.in:
# "PROBE URI STATUS RESULT MENTIONS PID"), for responses whose headers left
# before the filter had decided.  The line is written when the request
# ends: waits up to 5 s for it, then '(not logged)'.
sub probe_outcome {
    my ($id, $uri) = @_;
    my $file = catfile(Apache::Test::vars('t_logs'), 'geotag_probe_log');
    for (1 .. 50) {
        if (open my $fh, '<', $file) {
            while (my $line = <$fh>) {
                my ($p, $u, $status, $result) = split ' ', $line;
                return $result if $p eq $id && $u eq $uri;
            }
        }
        select undef, undef, undef, 0.1;
    }
    return '(not logged)';
}

# The outcome logged for the $nth (default 1st) request of $url, from
# t/logs/geotag_outcome_log (t/conf/stream.conf.in, the /stream/ locations):
# "STATUS RESULT MENTIONS".  A streamed response has its headers out before
# the filter knows it, so X-GeoTag-Result cannot carry it.  The line is
# written when the request ends: waits up to 5 s for it, then 'no log line'.
sub nth_outcome {
    my ($url, $nth) = @_;
    $nth ||= 1;
    my $log = Apache::Test::vars('t_logs') . '/geotag_outcome_log';
    for (1 .. 50) {
        my @found;
        if (open my $fh, '<', $log) {
            while (<$fh>) {
                chomp;
                push @found, $1 if /^\Q$url\E (.*)$/;
            }
        }
        return $found[$nth - 1] if @found >= $nth;
        select undef, undef, undef, 0.1;
    }
    return 'no log line';
}

# Writes a fixture under the DocumentRoot ('bypass/page.html'; removed
# when the test ends, t_write_file) and sets its mtime $age seconds back
# (default 60): httpd gives a file changed within the last second a weak
# ETag, which GEOTAG does not cache by.  Returns the file's path.
sub write_fixture {
    my ($rel, $content, $age) = @_;
    $age //= 60;
    my $file = catfile(Apache::Test::vars('documentroot'), split m{/}, $rel);
    t_write_file($file, $content);
    utime time - $age, time - $age, $file or die "utime $file: $!";
    return $file;
}

1;
