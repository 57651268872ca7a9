#!/usr/bin/env python3
"""check-dict.py: the checks of `make check-dict` on a dictionary file
(docs/gazetteer.md, "make check-dict").

    tools/check-dict.py [--geotag BIN] [--data DIR] [--words-it F] [--words-en F] FILE

Each failure is printed as "FILE: [check] message"; the exit status is 1 when
there is one.  The checks:

  [schema]    geotag --check FILE (RelaxNG and the loader's own checks), with --geotag
  [id]        every id a well-formed QID, no id twice
  [source]    every entity without verified="no" has source="..."
  [shared]    a form of two entities is declared ambiguous="yes" (or short="yes") on both,
              whatever their lang: a page without lang matches every form; a
              state's <capital> that is the name of a place is not shared: the
              engine reads it by context (a city after a place preposition)
  [case]      a name, alias or capital that is a lower-case word of the word list of
              its language declares case="exact", or word="yes" (no evidence at a
              sentence start), or context="place" (only after a place preposition)
  [stop]      no <stop> form is exactly a form of an entity (it would hide it)
  [notation]  no demonym whose suffix would replace its final vowel by a lone
              consonant ("Dane/s" makes "Dans")
  [sovereign] a status="sovereign" state has it/en names, it/en demonyms and a capital
  [office]    an <office>'s of= names an entity, every holder is a Person of the
              dictionary, no two holders of one office overlap (to the precision of
              their dates), no two offices share a name; its id is checked like an
              entity's ([id], [source])
  [stale]     FILE is what tools/gen-gazetteer.py makes of DIR, with --data

Python 3 standard library only.
"""

import argparse
import importlib.util
import os
import re
import subprocess
import sys
import unicodedata
import xml.etree.ElementTree as ET

NS = '{urn:mod-geotag:gazetteer:1}'
FORMS = ('name', 'alias', 'demonym', 'capital')
WORD_CHECKED = ('name', 'alias', 'capital')
PLACE_TYPES = ('City', 'Place', 'AdministrativeArea', 'State', 'BodyOfWater',
               'Landform', 'Continent', 'LandmarksOrHistoricalBuildings')
HERE = os.path.dirname(os.path.abspath(__file__))


def load_generator():
    spec = importlib.util.spec_from_file_location('gen_gazetteer', os.path.join(HERE, 'gen-gazetteer.py'))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


GEN = load_generator()
fold, expand = GEN.fold, GEN.expand


def strip_accents(text):
    text = unicodedata.normalize('NFKD', text)
    return ''.join(c for c in text if not unicodedata.combining(c))


def words(path):
    """The lower-case entries of a word list, accents folded as the matcher
    folds them ("Suède" matches "suede")."""
    with open(path, encoding='utf-8', errors='replace') as f:
        return {strip_accents(w) for w in (line.strip() for line in f) if w and w == w.lower()}


def primary(lang):
    return lang.split('-')[0].lower() if lang else None


def check(path, args):
    problems = []

    def fail(kind, msg):
        problems.append(f'{path}: [{kind}] {msg}')

    if args.geotag:
        r = subprocess.run([args.geotag, '--check', path], capture_output=True, text=True)
        if r.returncode != 0:
            for line in (r.stderr or r.stdout).strip().splitlines() or ['geotag --check failed']:
                fail('schema', line)
            return problems
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as e:
        fail('schema', str(e))
        return problems

    wl = {'it': words(args.words_it), 'en': words(args.words_en)}
    seen_ids = {}
    occurrences = {}        # folded form -> [(entity id, lang, declared, text, how)]
    for ent in root.iter(NS + 'entity'):
        eid = check_id(ent, seen_ids, fail, 'entities {first} and {this}', 'id')
        have = set()
        for el in ent:
            tag = el.tag[len(NS):] if el.tag.startswith(NS) else el.tag
            text = ' '.join((el.text or '').split())
            lang = primary(el.get('lang'))
            if tag == 'demonym' and '/' in text:
                first, *suffixes = text.split('/')
                if first[-1:] in 'aeiou' and first[-1:] and any(len(x) == 1 and x not in 'aeiou' for x in suffixes):
                    fail('notation', f'{eid}: <demonym> "{text}" expands to {", ".join(expand(text)[1:])}: '
                                     'a suffix replaces the final vowel (write "Somali/is")')
            if tag in FORMS:
                declared = el.get('ambiguous') == 'yes' or el.get('short') == 'yes'
                how = ('capital' if tag == 'capital' else
                       'place' if tag in ('name', 'alias') and ent.get('type') in PLACE_TYPES else '')
                for form in (expand(text) if tag == 'demonym' else [text]):
                    occurrences.setdefault(fold(form), []).append((eid, lang, declared, form, how))
                if (tag in WORD_CHECKED and el.get('case') != 'exact' and el.get('word') != 'yes'
                        and el.get('context') != 'place'):
                    lists = [lang] if lang in wl else ['it', 'en']
                    hit = [l for l in lists if strip_accents(text.lower()) in wl[l]]
                    if hit:
                        fail('case', f'{eid}: <{tag}> "{text}" is the {"/".join(hit)} word '
                                     f'"{strip_accents(text.lower())}": declare case="exact", '
                                     'word="yes" or context="place"')
            if tag == 'name' and lang:
                have.add('name-' + lang)
            if tag == 'demonym':
                have.update(['demonym-' + lang] if lang else ['demonym-it', 'demonym-en'])
            if tag in ('capital', 'capital-city'):
                have.add('capital')
        if ent.get('status') == 'sovereign':
            need = ['name-it', 'name-en', 'demonym-it', 'demonym-en', 'capital']
            missing = [n for n in need if n not in have]
            if missing:
                fail('sovereign', f'{eid}: a sovereign state without {", ".join(missing)}')

    for key in sorted(occurrences):
        occ = occurrences[key]
        if len({o[0] for o in occ}) < 2:
            continue
        bad = set()
        for i, a in enumerate(occ):
            for b in occ[i + 1:]:
                if {a[4], b[4]} == {'capital', 'place'}:
                    continue    # "a Mosca" the city, "Mosca ha detto" the state
                if a[0] != b[0] and not (a[2] and b[2]):
                    bad.add((a[0], b[0], a[3]))
        for a, b, form in sorted(bad):
            fail('shared', f'"{form}" is a form of {a} and {b}: declare ambiguous="yes" on both, or drop it')

    check_offices(root, seen_ids, fail)

    for stop in root.iter(NS + 'stop'):
        text = ' '.join((stop.text or '').split())
        for o in occurrences.get(fold(text), []):
            fail('stop', f'<stop> "{text}" is a form of {o[0]} and hides it: drop one')

    if args.data:
        try:
            fresh = GEN.generate(args.data)
        except GEN.GenError as e:
            fail('stale', f'cannot generate from {args.data}: {e}')
        else:
            with open(path, encoding='utf-8') as f:
                if f.read() != fresh:
                    fail('stale', f'not what tools/gen-gazetteer.py makes of {args.data}: run make gazetteer')
    return problems


def overlaps(a, b):
    """Holder b (which starts no earlier than a) starts before a ends: compared
    at the coarser precision of the two dates, so "to 2014" and "from
    2014-10-01" meet at a change, and a holder's "to" equal to the next one's
    "from" is the day of the change, not an overlap."""
    if a.get('to') is None:
        return True
    end, start = a.get('to'), b.get('from')
    n = min(len(end), len(start))
    return start[:n] < end[:n]


def check_id(el, seen_ids, fail, twice, what):
    """[id] and [source] of an <entity> or <office>: a well-formed QID or
    local:slug (unverified), not seen before, a source when verified.
    Returns the id."""
    eid = el.get('id', '')
    local = re.fullmatch(r'local:[a-z0-9]+(-[a-z0-9]+)*', eid)
    if not re.fullmatch(r'Q[1-9][0-9]*', eid) and not local:
        fail('id', f'{eid!r} is neither a well-formed Wikidata id nor local:slug')
    if local and el.get('verified') != 'no':
        fail('id', f'{eid}: a local id names no Wikidata item: say verified="no"')
    if eid in seen_ids:
        fail('id', f'{eid} twice (' + twice.format(first=seen_ids[eid], this=len(seen_ids) + 1) + ')')
    seen_ids.setdefault(eid, len(seen_ids) + 1)
    if el.get('verified') != 'no' and not (el.get('source') or '').strip():
        fail('source', f'{eid}: a verified {what} without source="..." (where was it confirmed?)')
    return eid


def check_offices(root, seen_ids, fail):
    """[office] and the [id]/[source] rules for <office> elements."""
    types = {ent.get('id'): ent.get('type') for ent in root.iter(NS + 'entity')}
    names = {}
    for off in root.iter(NS + 'office'):
        oid = check_id(off, seen_ids, fail, 'an office and entity or office {first}', 'office id')
        of = off.get('of')
        if of not in types:
            fail('office', f'{oid}: of="{of}" names no entity of the dictionary')
        for el in off:
            tag = el.tag[len(NS):] if el.tag.startswith(NS) else el.tag
            if tag in ('name', 'alias'):
                names.setdefault(fold(' '.join((el.text or '').split())), set()).add(oid)
        holders = sorted((h for h in off.iter(NS + 'holder')), key=lambda h: h.get('from', ''))
        for h in holders:
            ref = h.get('ref')
            if ref not in types:
                fail('office', f'{oid}: holder {ref} is no entity of the dictionary')
            elif types[ref] != 'Person':
                fail('office', f'{oid}: holder {ref} is a {types[ref]}, not a Person')
        for i, a in enumerate(holders):
            for b in holders[i + 1:]:
                if overlaps(a, b):
                    fail('office', f'{oid}: holders {a.get("ref")} ({a.get("from")} to {a.get("to") or "-"}) '
                                   f'and {b.get("ref")} (from {b.get("from")}) overlap')
    for form in sorted(names):
        if len(names[form]) > 1:
            fail('office', f'"{form}" names the offices {", ".join(sorted(names[form]))}: '
                           'a phrase must name one office')


def main():
    ap = argparse.ArgumentParser(description='the checks of make check-dict')
    ap.add_argument('file')
    ap.add_argument('--geotag', help='the geotag binary, for geotag --check')
    ap.add_argument('--data', help='the sources directory: the file must be generated from it')
    ap.add_argument('--words-it', default='/usr/share/dict/italian')
    ap.add_argument('--words-en', default='/usr/share/dict/american-english')
    args = ap.parse_args()
    for f in (args.words_it, args.words_en):
        if not os.path.exists(f):
            print(f'check-dict: {f} is missing (Debian packages witalian, wamerican: t/deps.sh test)', file=sys.stderr)
            return 2
    problems = check(args.file, args)
    for p in problems:
        print(p)
    if problems:
        print(f'check-dict: {len(problems)} problem(s) in {args.file}', file=sys.stderr)
        return 1
    print(f'check-dict: {args.file}: OK')
    return 0


if __name__ == '__main__':
    sys.exit(main())
