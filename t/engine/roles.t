# Role phrases that name ANOTHER office than the one their words begin
# (docs/gazetteer.md, "Offices"), with the default dictionary: an office's
# name continued into another body ("presidente del Consiglio regionale",
# "presidente della Repubblica democratica del Congo"), a role noun continued
# into another department ("Secretary of State for Health"), a state named
# next to a noun that has no such office; what such a phrase names (the
# state, the body) is still tagged.  And the heads of the international
# bodies and the ministers the role nouns of the packs name.  People are read
# from conf/gazetteer.xml by their English names, as in offices-default.t.
use strict;
use warnings;
use utf8;
use lib 't/engine';
use Test::More;
use GeotagTest;

binmode(Test::More->builder->$_, ':encoding(UTF-8)') for qw(output failure_output todo_output);

my %holders_of = %{ office_holders() };

# The id of the entity whose English name is $name.
sub id_of {
    my ($name) = @_;
    return entity_id($name) // die "no entity named $name in conf/gazetteer.xml";
}

sub tags { return role_tags(@_) }

my $italy = id_of('Italy');
my $meloni = id_of('Giorgia Meloni');
my $mattarella = id_of('Sergio Mattarella');
my $heads = join '|', map { quotemeta } ($meloni, $mattarella);

# ---- 1. an office's name continued into another body is not that office
for my $q (
    ['it', 'il presidente del Consiglio regionale', []],
    ['it', 'il presidente del Consiglio comunale di Milano', []],
    ['it', 'il presidente del Consiglio regionale della Lombardia', ['Lombardia=' . id_of('Lombardy')]],
    ['it', 'il Consiglio regionale della Lombardia', ['Lombardia=' . id_of('Lombardy')]],
    ['it', 'il presidente della Repubblica federale', []],
    ['it', 'il presidente della Repubblica democratica del Congo',
     ['Repubblica democratica del Congo=' . id_of('Democratic Republic of the Congo')]],
    ['it', 'la Repubblica democratica del Congo',
     ['Repubblica democratica del Congo=' . id_of('Democratic Republic of the Congo')]],
    ['it', 'il presidente regionale', [], '--country', 'Q38'],
    ['it', 'il presidente della Camera', [], '--country', 'Q38'],
    ['it', 'il presidente della Lombardia', ['Lombardia=' . id_of('Lombardy')], '--country', 'Q38'],
    ['en', 'the regional president', [], '--country', 'Q38'],
    ['en', 'the president of the Regional Council', [], '--country', 'Q38'],
    ['en', 'the president of the Democratic Republic of the Congo',
     ['Democratic Republic of the Congo=' . id_of('Democratic Republic of the Congo')], '--country', 'Q38'],
) {
    my ($lang, $phrase, $want, @args) = @$q;
    my $t = tags($lang, $phrase, '2023-06-01', @args);
    unlike($t, qr/=(?:$heads)(?: |$)/, "$lang: \"$phrase\" is not Italy's premier or president" . (@args ? " (@args)" : ''))
        or diag $t;
    for my $w (@$want) {
        like($t, qr/(?:^| )\Q$w\E(?: |$)/, "$lang: \"$phrase\" still tags $w") or diag $t;
    }
}
# the office itself, and its qualifier-free continuations, still resolve
is(tags('it', 'il presidente del Consiglio', '2023-06-01'), "presidente del Consiglio=$meloni",
   'it: "il presidente del Consiglio" is still the premier');
is(tags('it', 'il presidente della Repubblica', '2023-06-01'), "presidente della Repubblica=$mattarella",
   'it: "il presidente della Repubblica" is still the president');
is(tags('it', 'la premier', '2023-06-01', '--country', 'Q38'), "premier=$meloni",
   'it: a bare noun still means the set country');

# ---- 2. the entity an office's name overlapped is not lost
for my $q (
    ['it', 'il presidente della Repubblica di Corea', 'Repubblica di Corea', 'South Korea'],
    ['it', 'il presidente della Repubblica Ceca', 'Repubblica Ceca', 'Czech Republic'],
    ['it', 'il presidente del Consiglio di Sicurezza', 'Consiglio di Sicurezza', 'United Nations Security Council'],
    ['it', "l'ex presidente della Repubblica francese", 'Repubblica francese', 'France'],
    ['it', 'il presidente del Consiglio europeo', 'Consiglio europeo', 'European Council', 1],
) {
    my ($lang, $phrase, $words, $name, $undated) = @$q;
    my $t = tags($lang, $phrase, $undated ? undef : '2023-06-01');
    my $id = id_of($name);
    like($t, qr/(?:^| )\Q$words\E=\Q$id\E(?: |$)/,
         "$lang: \"$phrase\"" . ($undated ? ' (no date)' : '') . ": \"$words\" is $name") or diag $t;
    unlike($t, qr/=(?:$heads)(?: |$)/, "$lang: \"$phrase\" is not Italy's premier or president");
}

# ---- 3. a role noun continued into another department is another office
my $uk = id_of('United Kingdom');
my $us_state = 'United States Secretary of State';
my @foreign = (keys %{ $holders_of{$us_state} },
               keys %{ $holders_of{'Secretary of State for Foreign, Commonwealth and Development Affairs'} });
my $foreign = join '|', map { quotemeta } @foreign;
for my $q (
    ['en', 'the UK Secretary of State for Health', '2024-06-01'],
    ['en', 'the British Secretary of State for Health', '2024-06-01'],
    ['en', 'the Secretary of State for Health', '2024-06-01', '--country', 'Q30'],
    ['en', 'the Health Secretary', '2024-06-01', '--country', 'Q145'],
    ['en', 'the UK Secretary of State', '2024-06-01'],
    ['en', 'the NATO chief of staff', '2024-11-01'],
    ['it', 'il segretario di Stato britannico', '2024-06-01'],
    ['it', 'il segretario di Stato vaticano', '2024-06-01'],
) {
    my ($lang, $phrase, $date, @args) = @$q;
    my $t = tags($lang, $phrase, $date, @args);
    unlike($t, qr/=(?:$foreign|\Q${\ id_of('Mark Rutte')}\E)(?: |$)/,
           "$lang: \"$phrase\" on $date is no foreign minister (nor NATO's head)" . (@args ? " (@args)" : '')) or diag $t;
}
like(tags('en', 'the UK Secretary of State for Health', '2024-06-01'), qr/(?:^| )UK=\Q$uk\E(?: |$)/,
     'en: "the UK Secretary of State for Health": the UK is still tagged');
for my $q (
    ['en', 'the US Secretary of State', 'Antony Blinken'],
    ['it', 'il segretario di Stato Usa', 'Antony Blinken'],
    ['it', 'il segretario di Stato americano', 'Antony Blinken'],
    ['en', 'the Secretary of State', 'Antony Blinken', '--country', 'Q30'],
    ['en', 'the UK Foreign Secretary', 'David Cameron'],
    ['en', 'the Secretary of State for Defence', 'John Healey', '2025-06-01'],
) {
    my ($lang, $phrase, $person, @args) = @$q;
    my $date = @args && $args[-1] =~ /^\d{4}-/ ? pop @args : '2024-06-01';
    my $id = id_of($person);
    like(tags($lang, $phrase, $date, @args), qr/=\Q$id\E(?: |$)/,
         "$lang: \"$phrase\" on $date is still $person" . (@args ? " (@args)" : ''));
}

# ---- 4 and 5. heads of international bodies and ministers, named by the
# packs' role nouns, on both sides of a change of holder
my @cases = (
    ['it', "il direttore generale dell'Aiea", 'Director General of the International Atomic Energy Agency',
     ['2015-06-01', 'Yukiya Amano'], ['2022-06-01', 'Rafael Grossi']],
    ['en', 'the IAEA chief', 'Director General of the International Atomic Energy Agency',
     ['2005-06-01', 'Mohamed ElBaradei'], ['2022-06-01', 'Rafael Grossi']],
    ['en', 'the head of the IAEA', 'Director General of the International Atomic Energy Agency',
     ['2015-06-01', 'Yukiya Amano'], ['2022-06-01', 'Rafael Grossi']],
    ['en', 'the managing director of the IMF', 'Managing Director of the International Monetary Fund',
     ['2015-06-01', 'Christine Lagarde'], ['2022-06-01', 'Kristalina Georgieva']],
    ['it', 'la direttrice generale del Fmi', 'Managing Director of the International Monetary Fund',
     ['2015-06-01', 'Christine Lagarde'], ['2022-06-01', 'Kristalina Georgieva']],
    ['en', 'the IMF chief', 'Managing Director of the International Monetary Fund',
     ['2009-06-01', 'Dominique Strauss-Kahn'], ['2013-06-01', 'Christine Lagarde']],
    ['it', 'il presidente della Banca mondiale', 'President of the World Bank Group',
     ['2021-06-01', 'David Malpass'], ['2024-06-01', 'Ajay Banga']],
    ['en', 'the World Bank president', 'President of the World Bank Group',
     ['2015-06-01', 'Jim Yong Kim'], ['2021-06-01', 'David Malpass']],
    ['en', 'WTO director-general', 'Director-General of the World Trade Organization',
     ['2015-06-01', 'Roberto Azevêdo'], ['2022-06-01', 'Ngozi Okonjo-Iweala']],
    ['it', 'il direttore generale del WTO', 'Director-General of the World Trade Organization',
     ['2010-06-01', 'Pascal Lamy'], ['2015-06-01', 'Roberto Azevêdo']],
    ['en', 'the ICC president', 'President of the International Criminal Court',
     ['2016-06-01', 'Silvia Fernández de Gurmendi'], ['2025-06-01', 'Tomoko Akane']],
    ['it', 'il presidente della Corte penale internazionale', 'President of the International Criminal Court',
     ['2022-06-01', 'Piotr Hofmański'], ['2025-06-01', 'Tomoko Akane']],
    ['en', 'the UN chief', 'Secretary-General of the United Nations',
     ['2016-06-01', 'Ban Ki-moon'], ['2018-06-01', 'António Guterres']],
    ['it', 'il ministro degli Esteri giapponese', 'Minister for Foreign Affairs of Japan',
     ['2025-06-01', 'Takeshi Iwaya'], ['2026-01-15', 'Toshimitsu Motegi']],
    ['en', "Japan's defence minister", 'Minister of Defense of Japan',
     ['2025-06-01', 'Gen Nakatani'], ['2026-01-15', 'Shinjirō Koizumi']],
    ['en', 'the Iranian foreign minister', 'Minister of Foreign Affairs of Iran',
     ['2023-06-01', 'Hossein Amir-Abdollahian'], ['2025-06-01', 'Abbas Araghchi']],
    ['it', 'il ministro della Difesa iraniano', 'Minister of Defence of Iran',
     [], ['2025-06-01', 'Aziz Nasirzadeh']],
    ['en', 'the South Korean defence minister', 'Minister of National Defense of South Korea',
     [], ['2026-01-15', 'Ahn Gyu-back']],
    ['it', 'il ministro degli Esteri sudcoreano', 'Minister of Foreign Affairs of South Korea',
     [], ['2026-01-15', 'Cho Hyun']],
    ['en', 'the North Korean foreign minister', 'Minister of Foreign Affairs of North Korea',
     [], ['2023-06-01', 'Choe Son-hui']],
    ['it', 'il ministro della Difesa nordcoreano', 'Minister of National Defence of North Korea',
     [], ['2025-06-01', 'No Kwang-chol']],
);
for my $c (@cases) {
    my ($lang, $phrase, $office, @sides) = @$c;
    ok($holders_of{$office}, "the office \"$office\" is in conf/gazetteer.xml") or next;
    for my $side (@sides) {
        next unless @$side;
        my ($date, $person) = @$side;
        my $id = id_of($person);
        ok($holders_of{$office}{$id}, "$person ($id) is a holder of \"$office\"");
        (my $words = $phrase) =~ s/^(?:il|la|the|l') //;
        my $t = tags($lang, $phrase, $date);
        like($t, qr/(?:^| )\Q$words\E=\Q$id\E(?: |$)/, "$lang: \"$phrase\" on $date is $person") or diag $t;
    }
}
# the chief of another service of the body is not its head
for my $q (['en', 'the IAEA chief inspector', '2022-06-01'], ['en', 'the ICC chief prosecutor', '2022-06-01'],
           ['en', 'the IMF chief economist', '2022-06-01']) {
    my ($lang, $phrase, $date) = @$q;
    my $t = tags($lang, $phrase, $date);
    unlike($t, qr/=(?:\Q${\ id_of('Rafael Grossi')}\E|\Q${\ id_of('Piotr Hofmański')}\E|\Q${\ id_of('Kristalina Georgieva')}\E)(?: |$)/,
           "$lang: \"$phrase\" is not the head of the body") or diag $t;
}

done_testing();
