#!/usr/bin/env python3
"""gen-gazetteer.py: build the default dictionary (conf/gazetteer.xml) from its
sources in data/gazetteer/ (see data/gazetteer/README.md and docs/gazetteer.md).

    tools/gen-gazetteer.py [--data DIR] [-o FILE]

Reads only DIR (default: data/gazetteer next to this script's parent):

  * the tables, copied from public data with a "# provenance:" first line:
    iso_3166-1.tsv (the ISO 3166-1 list and its Italian names),
    ne50_countries.tsv, ne10_countries.tsv (Natural Earth: ids and names in
    it/en/fr/de/es), country-coder.tsv (ids of the ISO entries Natural Earth
    lacks), ne50_places.tsv (Natural Earth populated places: ids and names in
    it/en/fr/de/es), ne10_places.tsv (the same at 1:10m, no Italian: the
    places a name is shared with);
  * every *.xml file: hand-curated <entity> blocks, <office>s, <lexicon>s and
    <stop> forms in the dictionary's own format, plus `source`, `status`,
    `iso` and the build-only <exclude> (a table form the build must not add)
    and <leave-out id="Q..."> (a table place the build must not make).  The
    stop forms are written last, in the order of their files, with their
    comments.

Every ISO 3166-1 entry becomes one entity: the curated block whose iso="XX"
names it, completed from the tables, or an entity made from the tables alone.
Every national capital and every large city of ne50_places.tsv (see
PLACE_MIN_POP) becomes a City: the curated block with its id, completed from
the table, or an entity made from the table alone.
The output is deterministic: entities sorted by group, ISO code and id; the
offices after them, in the order of their files.
Python 3 standard library only.
"""

import argparse
import csv
import os
import re
import sys
import unicodedata
import xml.etree.ElementTree as ET

NS = 'urn:mod-geotag:gazetteer:1'
LANGS = ('it', 'en', 'fr', 'de', 'es')
TABLES = ('iso_3166-1.tsv', 'ne50_countries.tsv', 'ne10_countries.tsv',
          'country-coder.tsv', 'ne50_places.tsv', 'ne10_places.tsv')
ENTITY_ATTR_ORDER = ('id', 'type', 'kind', 'verified', 'status', 'iso', 'source')
OFFICE_ATTR_ORDER = ('id', 'of', 'verified', 'source')
FORM_TAGS = ('name', 'alias', 'demonym', 'capital')

# The places the build makes from ne50_places.tsv (data/gazetteer/README.md):
# every national capital (FEATURECLA), every place of at least PLACE_MIN_POP
# inhabitants (POP_MAX), every regional capital of the countries listed.
PLACE_CLASSES = ('Admin-0 capital', 'Admin-0 capital alt')
PLACE_MIN_POP = 750000
PLACE_REGION_CAPITALS = ('IT',)
# A table name is shared with another place when a populated place of
# ne10_places.tsv with another id has it and at least this share of the
# inhabitants: the build leaves it out (Valencia, Victoria, Tripoli ...).
PLACE_SHARED_SHARE = 0.25
# the attributes of a form a table copy takes from the same form in the block
COPIED_ATTRS = ('case', 'word', 'context', 'ambiguous')


class GenError(Exception):
    pass


def fold(text):
    """The form as the matcher compares it: accents and case folded, runs of
    spaces, hyphens and apostrophes unified."""
    text = unicodedata.normalize('NFKD', text)
    text = ''.join(c for c in text if not unicodedata.combining(c)).lower()
    return re.sub(r"[\s\-'\u2019\u2010-\u2015]+", ' ', text).strip()


def expand(text):
    """Inflection notation (docs/gazetteer.md): 'russo/a/i/e' -> the forms."""
    parts = text.split('/')
    first = parts[0]
    forms = [first]
    stem = first[:-1] if first and first[-1] in 'aeiouàèéìòù' else first
    for suffix in parts[1:]:
        forms.append(stem + suffix)
    return forms


def local(tag):
    return tag.split('}', 1)[1] if tag.startswith('{') else tag


def read_table(path):
    """A TSV whose first line is '# provenance: ...'; returns (provenance, rows)."""
    with open(path, encoding='utf-8') as f:
        first = f.readline()
        if not first.startswith('# provenance:'):
            raise GenError(f'{path}: the first line must be "# provenance: ..."')
        rows = list(csv.DictReader(f, delimiter='\t', quoting=csv.QUOTE_NONE))
    return first[len('# provenance:'):].strip(), rows


class Entity:
    def __init__(self, attrs, children, comments, origin, tag='entity'):
        self.attrs = dict(attrs)
        self.children = children          # list of (kind, tag, attrs, text)
        self.comments = comments          # comments just before the entity
        self.origin = origin
        self.tag = tag                    # 'entity' or 'office'

    @property
    def id(self):
        return self.attrs['id']

    def forms(self):
        if self.tag == 'office':          # an office's names name no entity
            return
        for kind, tag, attrs, text in self.children:
            if kind == 'elem' and tag in FORM_TAGS:
                for form in (expand(text) if tag == 'demonym' else [text]):
                    yield tag, attrs, form

    def has_any_name(self):
        return any(k == 'elem' and t == 'name' for k, t, _, _ in self.children)

    def has_name(self, lang):
        return any(k == 'elem' and t == 'name' and a.get('lang') == lang
                   for k, t, a, _ in self.children)

    def excluded(self):
        return {(a.get('lang'), fold(x)) for k, t, a, x in self.children
                if k == 'elem' and t == 'exclude'}


def parse_curated(path):
    parser = ET.XMLParser(target=ET.TreeBuilder(insert_comments=True))
    try:
        root = ET.parse(path, parser).getroot()
    except ET.ParseError as e:
        raise GenError(f'{path}: {e}')
    if local(root.tag) != 'gazetteer' or not root.tag.startswith('{' + NS + '}'):
        raise GenError(f'{path}: the root must be <gazetteer xmlns="{NS}">')
    lexicons, entities, leave_out, stops, pending = [], [], {}, [], []
    name = os.path.basename(path)
    for node in root:
        if node.tag is ET.Comment:
            pending.append(node.text)
            continue
        tag = local(node.tag)
        if tag == 'lexicon':
            lexicons.append((pending, node))
        elif tag == 'leave-out':
            leave_out[node.get('id', '')] = name
        elif tag == 'stop':
            text = ' '.join((node.text or '').split())
            if not text:
                raise GenError(f'{path}: an empty <stop>')
            stops.append((pending, dict(node.attrib), text, name))
        elif tag in ('entity', 'office'):
            children = []
            prev_tail = '\n'
            for child in node:
                if child.tag is ET.Comment:
                    # a comment on the line of the element before it stays there
                    kind = 'comment' if '\n' in (prev_tail or '\n') or not children else 'trailing'
                    children.append((kind, None, {}, child.text))
                else:
                    text = ' '.join((child.text or '').split())
                    children.append(('elem', local(child.tag), dict(child.attrib), text))
                prev_tail = child.tail
            entities.append(Entity(node.attrib, children,
                                   [c for c in pending if '=====' not in c], name, tag))
        else:
            raise GenError(f'{path}: unexpected <{tag}>')
        pending = []
    return lexicons, entities, leave_out, stops


def esc_text(s):
    return s.replace('&', '&amp;').replace('<', '&lt;').replace('>', '&gt;')


def esc_attr(s):
    return esc_text(s).replace('"', '&quot;')


def attrs_str(attrs, order=()):
    keys = [k for k in order if k in attrs] + sorted(k for k in attrs if k not in order)
    return ''.join(f' {k}="{esc_attr(attrs[k])}"' for k in keys)


def comment_str(text, indent):
    text = text.replace('--', '-')
    return f'{indent}<!--{text}-->'


def render_lexicon(comments, node):
    out = [comment_str(c, '  ') for c in comments]
    out.append(f'  <lexicon{attrs_str(node.attrib, ("lang",))}>')
    for child in node:
        if child.tag is ET.Comment:
            out.append(comment_str(child.text, '    '))
            continue
        text = ' '.join((child.text or '').split())
        out.append(f'    <{local(child.tag)}{attrs_str(child.attrib, ("lang", "currency", "case"))}>'
                   f'{esc_text(text)}</{local(child.tag)}>')
    out.append('  </lexicon>')
    return '\n'.join(out)


def render_stop(comments, attrs, text):
    out = [comment_str(c, '  ') for c in comments]
    out.append(f'  <stop{attrs_str(attrs, ("lang", "case"))}>{esc_text(text)}</stop>')
    return '\n'.join(out)


def render_entity(e):
    out = [comment_str(c, '  ') for c in e.comments]
    order = OFFICE_ATTR_ORDER if e.tag == 'office' else ENTITY_ATTR_ORDER
    out.append(f'  <{e.tag}{attrs_str(e.attrs, order)}>')
    for kind, tag, attrs, text in e.children:
        if kind == 'comment':
            out.append(comment_str(text, '    '))
        elif kind == 'trailing':
            out[-1] += comment_str(text, '   ')
        elif tag == 'exclude':
            continue
        elif tag == 'party':
            out.append(f'    <party{attrs_str(attrs, ("ref",))}/>')
        elif tag == 'holder':
            out.append(f'    <holder{attrs_str(attrs, ("ref", "from", "to", "source"))}/>')
        else:
            out.append(f'    <{tag}{attrs_str(attrs, ("lang", "wikipedia", "short", "case", "ambiguous"))}>'
                       f'{esc_text(text)}</{tag}>')
    out.append(f'  </{e.tag}>')
    return '\n'.join(out)


def group_of(e):
    if e.tag == 'office':
        return 5
    t = e.attrs['type']
    if t == 'Country':
        return 0
    if t == 'Person':
        return 3
    if t == 'Legislation' or e.attrs.get('kind') == 'treaty':
        return 4
    if t in ('Organization', 'GovernmentOrganization', 'PoliticalParty', 'NGO'):
        return 2
    return 1


STATUS_RANK = {'sovereign': 0, 'limited': 1, 'territory': 2, 'historical': 3}
GROUP_TITLE = ('countries and territories', 'places', 'organizations and bodies',
               'people', 'treaties', 'offices')


def qnum(qid):
    m = re.match(r'Q(\d+)$', qid)
    return int(m.group(1)) if m else 0


def de_invert(name):
    """ISO names: 'Falkland Islands (Malvinas)' -> 'Falkland Islands'; an
    inverted name ('Korea, Republic of', 'Palestina, Stato di') is turned
    round; any other comma ('Virgin Islands, British') is not a press form:
    None (the ISO name itself is kept as an alias, see iso_literal)."""
    name = re.sub(r'\s*\([^)]*\)', '', name).strip()
    if ',' in name:
        head, _, tail = name.partition(', ')
        if ',' in tail or not re.search(r"\b(of|of the|di|del|della|dello|delle|degli|dei|dell')$", tail):
            return None
        name = tail + ('' if tail.endswith("'") else ' ') + head
    return name or None


def iso_literal(name):
    """An ISO name with a comma or parentheses, as the table writes it
    ('Virgin Islands, British', 'Cocos (Keeling) Islands'): an alias, since
    lists and forms print it so and the matcher matches a form's
    punctuation; None for a name without."""
    return name if name and re.search(r'[,(]', name) else None


def insert_forms(e, new_names, new_aliases):
    """Add (tag, lang, text, attrs) forms after the entity's last name / alias."""
    if not new_names and not new_aliases:
        return
    kids = e.children
    last_name = max((i for i, c in enumerate(kids) if c[0] == 'elem' and c[1] == 'name'), default=-1)
    kids[last_name + 1:last_name + 1] = [('elem', 'name', a, t) for _, _, t, a in new_names]
    last = max((i for i, c in enumerate(kids) if c[0] == 'elem' and c[1] in ('name', 'alias')), default=-1)
    kids[last + 1:last + 1] = [('elem', 'alias', a, t) for _, _, t, a in new_aliases]


def population(row):
    try:
        return float(row.get('POP_MAX') or 0)
    except ValueError:
        return 0.0


def add_places(tables, entities, by_id, leave_out, notes):
    """Step 3 (data/gazetteer/README.md): a City for every national capital,
    large city and listed regional capital of ne50_places.tsv, and the
    table's names for every place entity with an id of that table.

    A table name is added as the countries' are (never a form another entity
    has, never one the block excludes), with these rules of places:
      * a form that is only another entity's <capital> is added: the capital
        and the city are one pair, resolved by context (docs/gazetteer.md);
      * a place one of whose table names is a state's <capital-city> (Roma,
        Sofia, Vienna) has every table name that is no <capital> added with
        context="place" (matched only after a place preposition);
      * a form two places of the dictionary share is added with
        ambiguous="yes" on both when each has at least PLACE_SHARED_SHARE of
        the other's inhabitants, else only to the larger (Hyderabad: India's);
      * a form shared with a place of ne10_places.tsv that the dictionary
        lacks and that has at least PLACE_SHARED_SHARE of the inhabitants is
        left out;
      * French, German and Spanish names only for the national capitals;
      * a form the block has (in any language) takes the attributes
        (COPIED_ATTRS) the block gives it, and no other rule applies.
    A place the table makes whose names are all left out is not made; both
    are listed by -v."""
    rows = {}
    for r in tables['ne50_places.tsv']:
        if re.fullmatch(r'Q[1-9][0-9]*', r['WIKIDATAID']):
            rows.setdefault(r['WIKIDATAID'], r)

    def wanted(r):
        return (r['FEATURECLA'] in PLACE_CLASSES or population(r) >= PLACE_MIN_POP
                or (r['FEATURECLA'] == 'Admin-1 region capital' and r['ISO_A2'] in PLACE_REGION_CAPITALS))

    # the places of the 1:10m table by name: folded name -> {id: inhabitants}
    others = {}
    for r in tables['ne10_places.tsv']:
        qid = r['wikidataid']
        if not re.fullmatch(r'Q[1-9][0-9]*', qid):
            continue
        for k in ('NAME', 'NAME_EN'):
            if (r.get(k) or '').strip():
                d = others.setdefault(fold(r[k]), {})
                d[qid] = max(d.get(qid, 0.0), population(r))

    made, forms = set(), {}
    for qid in sorted(rows, key=qnum):
        r = rows[qid]
        e = by_id.get(qid)
        if qid in leave_out:
            if e is not None:
                raise GenError(f'{e.origin}: {qid} is an entity and left out in {leave_out[qid]}')
            continue
        if e is None:
            if not wanted(r):
                continue
            e = Entity({'id': qid, 'type': 'City', 'source': 'ne50_places.tsv'}, [], [], 'ne50_places.tsv')
            entities.append(e)
            by_id[qid] = e
            made.add(qid)
        elif e.attrs['type'] == 'Country':
            continue          # a city-state: the country is the place
        langs = LANGS if r['FEATURECLA'] in PLACE_CLASSES else ('it', 'en')
        forms[qid] = [(lang, r['NAME_' + lang.upper()].strip()) for lang in langs
                      if r['NAME_' + lang.upper()].strip()]

    owner = {}
    capital_city = set()
    for e in entities:
        for tag, attrs, form in e.forms():
            owner.setdefault(fold(form), {}).setdefault(e.id, set()).add(tag)
        for k, t, a, x in e.children:
            if k == 'elem' and t == 'capital-city':
                capital_city.add(fold(x))
    table_owner = {}
    for qid, add in forms.items():
        for lang, text in add:
            table_owner.setdefault(fold(text), set()).add(qid)
    capitals = {f for f, o in owner.items() if any('capital' in tags for tags in o.values())}

    for qid in sorted(forms, key=qnum):
        e = by_id[qid]
        excluded = e.excluded()
        block, present = {}, set()
        for tag, attrs, form in e.forms():
            present.add((attrs.get('lang'), fold(form)))
            block.setdefault(fold(form), {k: attrs[k] for k in COPIED_ATTRS if k in attrs})
        inhabitants = population(rows[qid])
        risky = any(fold(text) in capital_city and fold(text) not in capitals for _, text in forms[qid])
        new_names, new_aliases = [], []
        for lang, text in forms[qid]:
            f = fold(text)
            if (lang, f) in excluded or (None, f) in excluded:
                continue
            if (lang, f) in present or (None, f) in present:
                continue
            tag = 'alias' if e.has_name(lang) or any(l == lang for _, l, _, _ in new_names) else 'name'
            blockers = sorted(o for o, tags in owner.get(f, {}).items() if o != qid and tags - {'capital'})
            if blockers and f not in block:
                notes.append(f'{qid}: "{text}" ({lang}) left out: also {", ".join(blockers)}')
                continue
            shared = sorted(o for o, n in others.get(f, {}).items()
                            if o != qid and o not in owner.get(f, {}) and o not in table_owner.get(f, ())
                            and n >= PLACE_SHARED_SHARE * inhabitants)
            if shared and f not in block:
                notes.append(f'{qid}: "{text}" ({lang}) left out: also the place {", ".join(shared)} of ne10_places.tsv')
                continue
            # places of the dictionary with this table name: a much larger
            # one keeps it, comparable ones share it
            peers = sorted(table_owner.get(f, set()) - {qid}, key=qnum)
            larger = [o for o in peers if inhabitants < PLACE_SHARED_SHARE * population(rows[o])]
            comparable = [o for o in peers if o not in larger
                          and population(rows[o]) >= PLACE_SHARED_SHARE * inhabitants]
            if larger and f not in block:
                notes.append(f'{qid}: "{text}" ({lang}) left out: also the larger {", ".join(larger)}')
                continue
            attrs = {'lang': lang}
            if f in block:
                attrs.update(block[f])          # the block decides its own forms
            else:
                if risky and f not in capitals:
                    attrs['context'] = 'place'
                if comparable:
                    attrs['ambiguous'] = 'yes'
            present.add((lang, f))
            (new_names if tag == 'name' else new_aliases).append((tag, lang, text, attrs))
        insert_forms(e, new_names, new_aliases)
        if qid in made and not e.has_any_name():
            notes.append(f'{qid}: not made: every name of the table is left out')
            entities.remove(e)
            del by_id[qid]


def build(data):
    provenance = {}
    tables = {}
    for t in TABLES:
        provenance[t], tables[t] = read_table(os.path.join(data, t))
    iso_rows = tables['iso_3166-1.tsv']
    ne50 = {}
    ne_by_qid = {}
    for r in tables['ne50_countries.tsv']:
        if r['ISO_A2_EH'] not in ('-99', ''):
            ne50.setdefault(r['ISO_A2_EH'], r)
        ne_by_qid.setdefault(r['WIKIDATAID'], r)
    ne10 = {}
    for r in tables['ne10_countries.tsv']:
        if r['ISO_A2'] not in ('-99', ''):
            ne10.setdefault(r['ISO_A2'], r)
        ne_by_qid.setdefault(r['WIKIDATAID'], r)
    cc = {r['iso1A2']: r for r in tables['country-coder.tsv'] if r['iso1A2']}

    lexicons, entities, leave_out, stops = [], [], {}, []
    for name in sorted(os.listdir(data)):
        if name.endswith('.xml'):
            lx, en, lo, st = parse_curated(os.path.join(data, name))
            lexicons += lx
            entities += en
            leave_out.update(lo)
            stops += st
    seen_stop = {}
    for _, attrs, text, origin in stops:
        key = (attrs.get('lang'), attrs.get('case'), fold(text))
        if key in seen_stop:
            raise GenError(f'{origin}: <stop> "{text}" twice (also in {seen_stop[key]})')
        seen_stop[key] = origin
    by_id, by_iso = {}, {}
    for e in entities:
        if e.id in by_id:
            raise GenError(f'{e.origin}: entity {e.id} also in {by_id[e.id].origin}')
        by_id[e.id] = e
        if 'iso' in e.attrs:
            if e.attrs['iso'] in by_iso:
                raise GenError(f'{e.origin}: iso {e.attrs["iso"]} on {e.id} and {by_iso[e.attrs["iso"]].id}')
            by_iso[e.attrs['iso']] = e

    # 1. every ISO 3166-1 entry is an entity
    extra_forms = {}      # entity id -> [(tag, lang, text)] the tables add
    for row in iso_rows:
        code = row['alpha_2']
        if code in ne50:
            tab, qid, ne = 'ne50_countries.tsv', ne50[code]['WIKIDATAID'], ne50[code]
        elif code in ne10:
            tab, qid, ne = 'ne10_countries.tsv', ne10[code]['WIKIDATAID'], ne10[code]
        elif code in cc:
            tab, qid, ne = 'country-coder.tsv', cc[code]['wikidata'], None
        else:
            raise GenError(f'ISO 3166-1 {code}: no id in any table')
        e = by_iso.get(code)
        if e is None:
            if qid in by_id:
                raise GenError(f'{by_id[qid].origin}: {qid} is ISO {code} in {tab}: give it iso="{code}"')
            e = Entity({'id': qid, 'type': 'Country', 'status': 'territory',
                        'iso': code, 'source': tab}, [], [], tab)
            entities.append(e)
            by_id[qid] = e
            by_iso[code] = e
        elif e.id != qid:
            if 'source' not in e.attrs and e.attrs.get('verified') != 'no':
                raise GenError(f'{e.origin}: {e.id} (iso {code}) is not the id of {tab} ({qid}): say where it was confirmed (source)')
        elif 'source' not in e.attrs and e.attrs.get('verified') != 'no':
            e.attrs['source'] = tab
        forms = extra_forms.setdefault(e.id, [])
        names = {}
        if ne is not None and ne.get('WIKIDATAID') == e.id:
            for lang in LANGS:
                v = (ne.get('NAME_' + lang.upper()) or '').strip()
                if v:
                    names[lang] = v
            if (ne.get('FORMAL_EN') or '').strip():
                forms.append(('alias', 'en', ne['FORMAL_EN'].strip()))
        names.setdefault('en', de_invert(row['common_name'] or row['name']) or cc.get(code, {}).get('nameEn'))
        names.setdefault('it', de_invert(row['it_common_name'] or row['it_name']))
        for lang in LANGS:
            if names.get(lang):
                forms.append(('name', lang, names[lang]))
        for lang, keys in (('en', ('common_name', 'name', 'official_name')),
                           ('it', ('it_common_name', 'it_name', 'it_official_name'))):
            for k in keys:
                v = de_invert(row[k]) if row[k] else None
                if v:
                    forms.append(('alias', lang, v))
                if iso_literal(row[k]):
                    forms.append(('alias', lang, row[k]))

    # curated entities with a Natural Earth row but no ISO code (Kosovo, Northern
    # Cyprus, Somaliland): the table's other-language names
    for e in entities:
        if 'iso' in e.attrs and e.attrs['iso'] in by_iso and e.id in extra_forms:
            continue
        ne = ne_by_qid.get(e.id)
        if ne is not None and e.attrs.get('type') == 'Country':
            extra_forms[e.id] = [('name', lang, ne['NAME_' + lang.upper()].strip())
                                 for lang in LANGS if (ne.get('NAME_' + lang.upper()) or '').strip()]

    # 2. add the table forms an entity lacks, never one another entity has
    owner = {}
    for e in entities:
        for tag, attrs, form in e.forms():
            owner.setdefault(fold(form), set()).add(e.id)
    # the tables' it/en forms count against each other; their fr/de/es names
    # also against each other's, and give way to every it/en form
    other_owner = {}
    for eid, add in extra_forms.items():
        for tag, lang, text in add:
            (owner if lang in ('it', 'en') else other_owner).setdefault(fold(text), set()).add(eid)
    notes = []
    for e in sorted(entities, key=lambda e: qnum(e.id)):
        add = extra_forms.get(e.id)
        if not add:
            continue
        excluded = e.excluded()
        case_of = {}
        present = set()
        for tag, attrs, form in e.forms():
            present.add((attrs.get('lang'), fold(form)))
            if 'case' in attrs:
                case_of.setdefault(fold(form), attrs['case'])
        new_names, new_aliases = [], []
        for tag, lang, text in add:
            f = fold(text)
            if (lang, f) in excluded or (None, f) in excluded:
                continue
            if tag == 'name' and (e.has_name(lang) or any(l == lang for _, l, _, _ in new_names)):
                tag = 'alias'
            if (lang, f) in present or (None, f) in present:
                continue
            if tag == 'alias' and lang in ('fr', 'de', 'es'):
                continue
            others = owner.get(f, set()) - {e.id}
            if lang not in ('it', 'en'):
                others |= other_owner.get(f, set()) - {e.id}
            if others:
                notes.append(f'{e.id}: "{text}" ({lang}) left out: also {", ".join(sorted(others))}')
                continue
            present.add((lang, f))
            attrs = {'lang': lang}
            if f in case_of:
                attrs['case'] = case_of[f]
            (new_names if tag == 'name' else new_aliases).append((tag, lang, text, attrs))
        insert_forms(e, new_names, new_aliases)

    # 3. the places of ne50_places.tsv
    add_places(tables, entities, by_id, leave_out, notes)

    for e in entities:
        if not any(k == 'elem' and t == 'name' for k, t, _, _ in e.children):
            raise GenError(f'{e.origin}: {e.id} has no name')

    def key(e):
        g = group_of(e)
        if g == 5:
            return (g,)                   # offices: the order of their files
        return (g, STATUS_RANK.get(e.attrs.get('status'), 9) if g == 0 else 0,
                e.attrs.get('iso', '~~'), qnum(e.id), e.id)

    entities.sort(key=key)
    return provenance, lexicons, entities, notes, stops


def render(provenance, lexicons, entities, stops=()):
    offices = [e for e in entities if e.tag == 'office']
    entities_only = [e for e in entities if e.tag != 'office']
    counts = {}
    for e in entities_only:
        k = e.attrs.get('status') or e.attrs['type']
        counts[k] = counts.get(k, 0) + 1
    verified = sum(1 for e in entities_only if e.attrs.get('verified') != 'no')
    office_verified = sum(1 for e in offices if e.attrs.get('verified') != 'no')
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<!--',
        '  conf/gazetteer.xml: the default dictionary of mod_geotag (format: docs/gazetteer.md,',
        '  schema: conf/gazetteer.rng).  GENERATED by tools/gen-gazetteer.py (make gazetteer)',
        '  from data/gazetteer/: edit the sources there, never this file; make check-dict fails',
        '  when it is stale.',
        '',
        f'  {len(entities_only)} entities ({verified} with a confirmed id, {len(entities_only) - verified} verified="no"):',
        '  ' + ', '.join(f'{k} {counts[k]}' for k in sorted(counts)) + '.',
    ]
    if offices:
        lines.append(f'  {len(offices)} offices ({office_verified} with a confirmed id), '
                     f'{sum(1 for e in offices for c in e.children if c[1] == "holder")} holders.')
    lines += [
        '',
        '  Every entity without verified="no" names in source="..." where its Wikidata id',
        '  was read next to its name.  An id confirmed nowhere is marked verified="no".',
        '',
        '  Sources (data/gazetteer/README.md):',
        '  * hand-curated entity blocks: data/gazetteer/*.xml (this project)',
    ]
    for t in sorted(provenance):
        lines.append(f'  * {t}: {provenance[t]}'.replace('--', '-'))
    lines += [
        '  * cited in source="..." but not shipped: supraverden_general_list.yaml',
        '    (confirmordeny/supraverden @ 59ab4fa0: data/general_list.yaml, CC BY-SA 4.0) and',
        '    gf-wordnet images.txt (GrammaticalFramework/gf-wordnet @ 6484fa87, no licence file):',
        '    a QID read next to its label there is a Wikidata fact (CC0).  Places also cite',
        '    superhlx/gf-wikidata-tools @ b5298d87 (grammars/*Eng.gf, BSD-2-Clause).',
        '-->',
        f'<gazetteer xmlns="{NS}" fold-accents="yes">',
        '',
    ]
    out = '\n'.join(lines) + '\n'
    if lexicons:
        out += '  <!-- ============================================================ lexicons -->\n\n'
        out += '\n\n'.join(render_lexicon(c, n) for c, n in lexicons) + '\n\n'
    group = None
    for e in entities:
        g = group_of(e)
        if g != group:
            group = g
            title = GROUP_TITLE[g]
            out += f'  <!-- {"=" * (66 - len(title))} {title} -->\n\n'
        out += render_entity(e) + '\n\n'
    if stops:
        out += f'  <!-- {"=" * 56} stop forms -->\n\n'
        for i, (comments, attrs, text, _) in enumerate(stops):
            if comments and i:
                out += '\n'
            out += render_stop(comments, attrs, text) + '\n'
        out += '\n'
    out += '</gazetteer>\n'
    return out


def generate(data):
    provenance, lexicons, entities, _, stops = build(data)
    return render(provenance, lexicons, entities, stops)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--data', default=os.path.join(here, '..', 'data', 'gazetteer'))
    ap.add_argument('-o', '--output', default='-')
    ap.add_argument('-v', '--verbose', action='store_true',
                    help='list the table forms left out because another entity has them')
    a = ap.parse_args()
    try:
        provenance, lexicons, entities, notes, stops = build(a.data)
    except (GenError, OSError) as e:
        print(f'gen-gazetteer: {e}', file=sys.stderr)
        return 1
    if a.verbose:
        for n in notes:
            print(f'gen-gazetteer: {n}', file=sys.stderr)
    text = render(provenance, lexicons, entities, stops)
    if a.output == '-':
        sys.stdout.write(text)
    else:
        tmp = a.output + '.tmp'
        with open(tmp, 'w', encoding='utf-8') as f:
            f.write(text)
        os.replace(tmp, a.output)
    return 0


if __name__ == '__main__':
    sys.exit(main())
