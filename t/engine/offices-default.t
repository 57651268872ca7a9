# Role phrases resolved with the DEFAULT dictionary (conf/gazetteer.xml, its
# offices from data/gazetteer/offices.xml): each phrase on both sides of a
# change of holder, in Italian and English, and the cases where nobody may be
# tagged.  The expected people are read from conf/gazetteer.xml by their
# English names, and each must be a holder of the office the phrase names in
# that file, so that no id is written here from memory.  The format and the
# rules of role phrases are tested on a small dictionary in offices.t.
use strict;
use warnings;
use utf8;
use lib 't/engine';
use Test::More;
use GeotagTest;

binmode(Test::More->builder->$_, ':encoding(UTF-8)') for qw(output failure_output todo_output);

my %holders_of = %{ office_holders() };

sub tags { return role_tags(@_) }

sub id_of { return entity_id($_[0]) }

# lang, phrase, the office it names (English name), then [date, person] on
# each side of a change of holder.
my @cases = (
    # United States
    ['it', 'il presidente americano', 'President of the United States',
     ['2024-10-05', 'Joe Biden'], ['2025-03-01', 'Donald Trump']],
    ['en', 'the US president', 'President of the United States',
     ['2016-06-01', 'Barack Obama'], ['2018-06-01', 'Donald Trump']],
    ['it', 'il presidente degli Stati Uniti', 'President of the United States',
     ['2008-06-01', 'George W. Bush'], ['2010-06-01', 'Barack Obama']],
    ['en', 'the US Secretary of State', 'United States Secretary of State',
     ['2024-06-01', 'Antony Blinken'], ['2025-03-01', 'Marco Rubio']],
    ['it', 'il segretario alla Difesa americano', 'United States Secretary of Defense',
     ['2024-06-01', 'Lloyd Austin'], ['2025-03-01', 'Pete Hegseth']],
    # Russia
    ['it', 'il presidente russo', 'President of Russia',
     ['2010-06-01', 'Dmitry Medvedev'], ['2015-06-01', 'Vladimir Putin']],
    ['it', 'il leader russo', 'President of Russia',
     ['2010-06-01', 'Dmitry Medvedev'], ['2013-06-01', 'Vladimir Putin']],
    ['en', 'the Russian prime minister', 'Prime Minister of Russia',
     ['2015-06-01', 'Dmitry Medvedev'], ['2021-06-01', 'Mikhail Mishustin']],
    ['en', "Russia's defence minister", 'Minister of Defence of Russia',
     ['2023-06-01', 'Sergei Shoigu'], ['2024-06-01', 'Andrey Belousov']],
    # United Kingdom
    ['en', 'the British prime minister', 'Prime Minister of the United Kingdom',
     ['2024-06-01', 'Rishi Sunak'], ['2024-08-01', 'Keir Starmer']],
    ['it', 'il primo ministro britannico', 'Prime Minister of the United Kingdom',
     ['2022-08-01', 'Boris Johnson'], ['2022-10-01', 'Liz Truss']],
    ['it', 'il sovrano britannico', 'Monarch of the United Kingdom',
     ['2022-06-01', 'Elizabeth II'], ['2023-06-01', 'Charles III']],
    ['en', 'the UK Foreign Secretary', 'Secretary of State for Foreign, Commonwealth and Development Affairs',
     ['2025-06-01', 'David Lammy'], ['2025-10-01', 'Yvette Cooper']],
    # Germany
    ['it', 'la cancelliera tedesca', 'Chancellor of Germany',
     ['2020-06-01', 'Angela Merkel'], ['2022-06-01', 'Olaf Scholz']],
    ['en', 'the German chancellor', 'Chancellor of Germany',
     ['2024-06-01', 'Olaf Scholz'], ['2025-06-01', 'Friedrich Merz']],
    ['it', 'il presidente tedesco', 'President of Germany',
     ['2016-06-01', 'Joachim Gauck'], ['2018-06-01', 'Frank-Walter Steinmeier']],
    ['it', 'il ministro degli Esteri tedesco', 'Foreign Minister of Germany',
     ['2024-06-01', 'Annalena Baerbock'], ['2025-06-01', 'Johann Wadephul']],
    # France
    ['it', 'il presidente francese', 'President of France',
     ['2016-06-01', 'François Hollande'], ['2018-06-01', 'Emmanuel Macron']],
    ['en', 'the French prime minister', 'Prime Minister of France',
     ['2024-10-01', 'Michel Barnier'], ['2025-03-01', 'François Bayrou']],
    ['it', 'il primo ministro francese', 'Prime Minister of France',
     ['2024-03-01', 'Gabriel Attal'], ['2025-11-01', 'Sébastien Lecornu']],
    # Italy
    ['it', 'il premier italiano', 'Prime Minister of Italy',
     ['2021-06-01', 'Mario Draghi'], ['2023-06-01', 'Giorgia Meloni']],
    ['it', 'il presidente del Consiglio', 'Prime Minister of Italy',
     ['2020-06-01', 'Giuseppe Conte'], ['2021-06-01', 'Mario Draghi']],
    ['it', 'il presidente della Repubblica', 'President of Italy',
     ['2010-06-01', 'Giorgio Napolitano'], ['2016-06-01', 'Sergio Mattarella']],
    ['en', 'the Italian president', 'President of Italy',
     ['2005-06-01', 'Carlo Azeglio Ciampi'], ['2010-06-01', 'Giorgio Napolitano']],
    # Ukraine
    ['it', 'il presidente ucraino', 'President of Ukraine',
     ['2018-06-01', 'Petro Poroshenko'], ['2020-06-01', 'Volodymyr Zelenskyy']],
    ['en', 'the Ukrainian prime minister', 'Prime Minister of Ukraine',
     ['2025-06-01', 'Denys Shmyhal'], ['2025-08-01', 'Yulia Svyrydenko']],
    ['it', 'il ministro della Difesa ucraino', 'Minister of Defence of Ukraine',
     ['2023-06-01', 'Oleksii Reznikov'], ['2024-06-01', 'Rustem Umerov']],
    # NATO, the UN, the EU
    ['it', 'il segretario generale della Nato', 'Secretary General of NATO',
     ['2024-09-01', 'Jens Stoltenberg'], ['2024-11-01', 'Mark Rutte']],
    ['en', 'the NATO Secretary General', 'Secretary General of NATO',
     ['2012-06-01', 'Anders Fogh Rasmussen'], ['2015-06-01', 'Jens Stoltenberg']],
    ['en', 'the UN Secretary-General', 'Secretary-General of the United Nations',
     ['2016-06-01', 'Ban Ki-moon'], ['2018-06-01', 'António Guterres']],
    ['it', "il segretario generale dell'Onu", 'Secretary-General of the United Nations',
     ['2005-06-01', 'Kofi Annan'], ['2008-06-01', 'Ban Ki-moon']],
    ['it', 'la presidente della Commissione europea', 'President of the European Commission',
     ['2019-06-01', 'Jean-Claude Juncker'], ['2020-06-01', 'Ursula von der Leyen']],
    ['it', 'il presidente del Consiglio europeo', 'President of the European Council',
     ['2024-06-01', 'Charles Michel'], ['2025-06-01', 'António Costa']],
    # Asia, the Middle East, the Americas
    ['it', 'il premier giapponese', 'Prime Minister of Japan',
     ['2025-06-01', 'Shigeru Ishiba'], ['2025-11-01', 'Sanae Takaichi']],
    ['en', 'the South Korean president', 'President of South Korea',
     ['2023-06-01', 'Yoon Suk Yeol'], ['2025-07-01', 'Lee Jae-myung']],
    ['it', 'il leader nordcoreano', 'Supreme Leader of North Korea',
     ['2010-06-01', 'Kim Jong-il'], ['2015-06-01', 'Kim Jong-un']],
    ['it', 'il presidente cinese', 'President of China',
     ['2010-06-01', 'Hu Jintao'], ['2015-06-01', 'Xi Jinping']],
    ['en', 'the Chinese premier', 'Premier of China',
     ['2022-06-01', 'Li Keqiang'], ['2024-06-01', 'Li Qiang']],
    ['it', 'la guida suprema iraniana', 'Supreme Leader of Iran',
     ['2025-06-01', 'Ali Khamenei'], ['2026-04-01', 'Mojtaba Khamenei']],
    ['en', 'the Iranian president', 'President of Iran',
     ['2023-06-01', 'Ebrahim Raisi'], ['2025-06-01', 'Masoud Pezeshkian']],
    ['it', 'il premier israeliano', 'Prime Minister of Israel',
     ['2022-10-01', 'Yair Lapid'], ['2023-06-01', 'Benjamin Netanyahu']],
    ['en', "India's president", 'President of India',
     ['2020-06-01', 'Ram Nath Kovind'], ['2023-06-01', 'Droupadi Murmu']],
    ['en', 'the Canadian prime minister', 'Prime Minister of Canada',
     ['2024-06-01', 'Justin Trudeau'], ['2025-06-01', 'Mark Carney']],
    ['it', 'il presidente brasiliano', 'President of Brazil',
     ['2022-06-01', 'Jair Bolsonaro'], ['2023-06-01', 'Luiz Inácio Lula da Silva']],
);

my %phrases;
for my $c (@cases) {
    my ($lang, $phrase, $office, @sides) = @$c;
    $phrases{"$lang $phrase"}++;
    ok($holders_of{$office}, "the office \"$office\" is in conf/gazetteer.xml") or next;
    my @who;
    for my $side (@sides) {
        my ($date, $person) = @$side;
        my $id = id_of($person);
        ok(defined $id, "\"$person\" is a person of conf/gazetteer.xml") or next;
        ok($holders_of{$office}{$id}, "$person ($id) is a holder of \"$office\"");
        (my $words = $phrase) =~ s/^(?:il|la|the|l') //;
        my $t = tags($lang, $phrase, $date);
        like($t, qr/(?:^| )\Q$words\E=\Q$id\E(?: |$)/, "$lang: \"$phrase\" on $date is $person")
            or diag $t;
        push @who, $id;
    }
    isnt($who[0], $who[1], "$lang: \"$phrase\": two holders on the two sides of the change") if @who == 2;
}
cmp_ok(scalar(keys %phrases), '>=', 30, 'at least 30 different role phrases');
my %langs = map { (split / /, $_)[0] => 1 } keys %phrases;
ok($langs{it} && $langs{en}, 'in Italian and in English');

# ---- nobody is tagged
my $putin = id_of('Vladimir Putin');
my @people = map { id_of($_) } ('Joe Biden', 'Donald Trump', 'Michel Barnier', 'François Bayrou',
                                'Keir Starmer', 'Yoon Suk Yeol', 'Lee Jae-myung', 'Sergio Mattarella',
                                'Giorgia Meloni', 'Mario Draghi', 'Denys Shmyhal');
my $anyone = join '|', map { quotemeta } @people;
for my $q (
    ['it', 'il presidente americano', '2025-01-20', 'the day of a change of holder'],
    ['en', 'the French prime minister', '2024-12-08', 'between a government toppled and the next (Barnier caretaker)'],
    ['en', 'the British prime minister', '2026-03-01', 'a change known only to its year (2026)'],
    ['en', 'the South Korean president', '2025-05-01', 'between the removal of Yoon and Lee (acting presidents are not holders)'],
    ['it', 'il ministro della Difesa ucraino', '2026-03-01', 'a holder not in the dictionary (Fedorov)'],
    ['it', "l'ex presidente americano", '2025-03-01', 'a qualified phrase'],
    ['it', 'il presidente della Repubblica Ceca', '2023-06-01', '"presidente della Repubblica" followed by another name'],
    ['it', 'il presidente della Repubblica di Corea', '2023-06-01', '"presidente della Repubblica" followed by a link and a name'],
) {
    my ($lang, $phrase, $date, $why) = @$q;
    unlike(tags($lang, $phrase, $date), qr/=(?:$anyone)(?: |$)/, "$lang: \"$phrase\" on $date tags nobody: $why");
}

# ---- an office's own name wins over a shorter one
for my $o (
    ['presidente della Repubblica francese', '2023-06-01', 'Emmanuel Macron', 'the French president, not the Italian one'],
    ['presidente della Repubblica islamica', '2025-06-01', 'Masoud Pezeshkian', 'the Iranian president'],
    ['presidente della Repubblica popolare cinese', '2023-06-01', 'Xi Jinping', 'the Chinese president'],
    ['presidente del Consiglio europeo', '2023-06-01', 'Charles Michel', 'not the Italian prime minister'],
) {
    my ($name, $date, $person, $why) = @$o;
    is(tags('it', "il $name", $date), "$name=" . id_of($person), "\"$name\" is $why");
}
is(tags('it', 'il presidente russo Vladimir Putin', '2023-06-01'),
   "presidente russo Vladimir Putin=$putin", 'the phrase and the name of its holder are one mention');

done_testing();
