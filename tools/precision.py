#!/usr/bin/env python3
"""precision.py: how often the entity tags of a dictionary are right, measured
on two annotated news corpora (docs/gazetteer.md, "Precision").

    tools/precision.py [--dict FILE]... [--wrong FILE] [--only gum|kind]
                       [--geotag BIN] [--lang-packs DIR] [--shared DIR]
                       [--gum DIR] [--kind DIR] [--jobs N]

GUM (English Wikinews; --gum, default SHARED/corpus/ner/gum-news-en): each
document of coref-conll/*.conll is rebuilt as an HTML page (lang="en", one
paragraph per sentence of dep-conllu/*.conllu) and tagged with `geotag
--mentions`.  Every entity tag is looked up in the dictionary: its English
Wikipedia title is the wikipedia attribute of the entity's <name lang="en">;
a tag whose entity has none counts as "no title" and is not judged.  A titled
tag is correct when the title is among the Wikipedia identifiers the
annotators gave that document (underscores and spaces, %XX escapes and the
case of the first letter normalized; a redirect cannot be known and counts
as wrong: the wrong list shows the annotation the tag overlaps, if any).
Precision = correct / titled tags.

KIND (Italian Wikinews; --kind, default SHARED/corpus/ner/kind-wikinews-it):
the token<TAB>tag files (*.tsv; PER/LOC/ORG/O) carry no document boundaries,
so a document is taken to start at a headline: a sentence without final
punctuation after one with it (a short "Place :" sentence before it goes
with it).  Each document is a page (lang="it", one paragraph per sentence).
Every entity tag whose text starts with a capital letter is correct when it
overlaps a token the annotators marked PER, LOC or ORG.  Precision =
overlapping / capitalized tags.

The summary goes to standard output; --wrong FILE gets every wrong tag (and
the untitled GUM tags, to review).  Python 3 standard library only.
"""

import argparse
import concurrent.futures
import glob
import html
import os
import re
import subprocess
import sys
import unicodedata
import urllib.parse
import xml.etree.ElementTree as ET

NS = '{urn:mod-geotag:gazetteer:1}'
HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(HERE)
FINAL = ('.', '!', '?', '»', '"', '”', "'", ')', ':', ';', '…')


class Fail(Exception):
    pass


# ---------------------------------------------------------------- dictionary

def read_dicts(paths):
    """id -> (English Wikipedia title or None, label)."""
    out = {}
    for path in paths:
        try:
            root = ET.parse(path).getroot()
        except (ET.ParseError, OSError) as e:
            raise Fail(f'{path}: {e}')
        for ent in root.iter(NS + 'entity'):
            names = ent.findall(NS + 'name')
            title = next((n.get('wikipedia') for n in names
                          if n.get('lang') == 'en' and n.get('wikipedia')), None)
            label = next((n.text for n in names if n.get('lang') == 'en'), None) \
                or (names[0].text if names else ent.get('id'))
            out[ent.get('id')] = (title, ' '.join((label or '').split()))
    return out


def loose(t):
    """A title with case, accents and punctuation gone: two titles equal so
    are most likely one article under two spellings (a redirect)."""
    t = unicodedata.normalize('NFKD', norm_title(t))
    return ''.join(c for c in t.lower() if c.isalnum())


def norm_title(t):
    """A Wikipedia title as a comparable string: %XX decoded, underscores as
    spaces, runs of spaces one, the first letter upper case."""
    t = urllib.parse.unquote(t).replace('_', ' ')
    t = ' '.join(t.split())
    return t[:1].upper() + t[1:]


# ---------------------------------------------------------------- pages

class Page:
    """An HTML page built from sentences of tokens; knows the byte range of
    every token in the page."""

    def __init__(self, name, lang):
        self.name = name
        self.parts = [f'<!DOCTYPE html>\n<html lang="{lang}">\n<head><meta charset="utf-8">'
                      f'<title>{html.escape(name)}</title></head>\n<body><article>\n']
        self.size = len(self.parts[0].encode('utf-8'))
        self.tokens = []        # (byte from, byte to, sentence index)
        self.words = []         # the text of each token
        self.sentences = []     # plain text of each sentence

    def _put(self, s):
        self.parts.append(s)
        self.size += len(s.encode('utf-8'))

    def sentence(self, pieces):
        """pieces: [(text, is_token)], spaces included as non-token pieces."""
        n = len(self.sentences)
        self._put('<p>')
        for text, is_token in pieces:
            start = self.size
            self._put(html.escape(text, quote=False))
            if is_token:
                self.tokens.append((start, self.size, n))
                self.words.append(text)
        self._put('</p>\n')
        self.sentences.append(''.join(t for t, _ in pieces))

    def finish(self):
        self._put('</article></body>\n</html>\n')
        return ''.join(self.parts).encode('utf-8')

    def tokens_in(self, start, end):
        return [i for i, (a, b, _) in enumerate(self.tokens) if a < end and b > start]


def run_geotag(args, data):
    p = subprocess.run(args + ['--mentions'], input=data, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE)
    if p.returncode != 0:
        raise Fail(f'{" ".join(args)}: exit {p.returncode}: '
                   f'{p.stderr.decode("utf-8", "replace").strip()}')
    tags = []
    for line in p.stdout.decode('utf-8', 'replace').splitlines():
        f = line.split('\t', 4)
        if len(f) == 5 and f[2] in ('entity', 'treaty'):
            tags.append((int(f[0]), int(f[1]), f[3], f[4], f[2]))
    return tags


def tag_all(geotag, pages, jobs):
    """Tag every page (in parallel); returns [(page, tags)] in order."""
    with concurrent.futures.ThreadPoolExecutor(jobs) as ex:
        futs = [ex.submit(run_geotag, geotag, p.finish()) for p in pages]
        return [(p, f.result()) for p, f in zip(pages, futs)]


# ---------------------------------------------------------------- GUM

LABEL = re.compile(r'(\()?([a-z]+)-(\d+)(?:-([^()]+))?(\))?')


def read_gum_doc(conll, conllu):
    """-> (name, sentences [[form]], spans [(first token, last token, type, id)],
    ids, texts [sentence text or None])."""
    forms, spans, ids, name = [], [], set(), None
    open_ = {}
    with open(conll, encoding='utf-8') as f:
        for line in f:
            line = line.rstrip('\n')
            if line.startswith('# begin document'):
                name = line.split()[-1]
                continue
            if not line or line.startswith('#'):
                continue
            col = line.split('\t')
            if len(col) < 3:
                raise Fail(f'{conll}: bad line: {line!r}')
            i = len(forms)
            forms.append(col[1])
            for m in LABEL.finditer(col[2]):
                opening, etype, num, ident, closing = m.groups()
                key = (etype, num)
                if ident:
                    ids.add(norm_title(ident))
                if opening:
                    open_.setdefault(key, []).append((i, ident))
                if closing:
                    stack = open_.get(key)
                    if not stack:
                        raise Fail(f'{conll}: {etype}-{num} closed but never opened (token {i})')
                    first, oid = stack.pop()
                    spans.append((first, i, etype, oid or ident))
    sentences, texts = [], []
    k = 0
    with open(conllu, encoding='utf-8') as f:
        cur, text, space = None, None, []
        for line in f:
            line = line.rstrip('\n')
            if line.startswith('# text = '):
                text = line[len('# text = '):]
            elif re.match(r'\d+\t', line):
                col = line.split('\t')
                if cur is None:
                    cur = []
                if k >= len(forms) or forms[k] != col[1]:
                    raise Fail(f'{conllu}: token {k} is {col[1]!r}, '
                               f'{os.path.basename(conll)} has {forms[k] if k < len(forms) else "nothing"!r}')
                cur.append(col[1])
                k += 1
            elif not line and cur is not None:
                sentences.append(cur)
                texts.append(text)
                cur, text = None, None
        if cur is not None:
            sentences.append(cur)
            texts.append(text)
    if k != len(forms):
        raise Fail(f'{conllu}: {k} tokens, {os.path.basename(conll)} has {len(forms)}')
    return name or os.path.basename(conll), sentences, spans, ids, texts


def pieces_of(tokens, text):
    """The sentence's tokens with the spacing of its text (tokens joined by
    spaces where the text does not hold them in order)."""
    out, pos = [], 0
    if text is not None:
        for t in tokens:
            at = text.find(t, pos)
            if at < 0 or text[pos:at].strip():
                break
            if at > pos:
                out.append((text[pos:at], False))
            out.append((t, True))
            pos = at + len(t)
        else:
            return out
    out = []
    for i, t in enumerate(tokens):
        if i:
            out.append((' ', False))
        out.append((t, True))
    return out


def gum(args, titles):
    base = args.gum
    files = sorted(glob.glob(os.path.join(base, 'coref-conll', '*.conll')))
    if not files:
        raise Fail(f'{base}/coref-conll: no *.conll file')
    docs = []
    for conll in files:
        stem = os.path.splitext(os.path.basename(conll))[0]
        conllu = os.path.join(base, 'dep-conllu', stem + '.conllu')
        name, sentences, spans, ids, texts = read_gum_doc(conll, conllu)
        page = Page(name, 'en')
        for toks, text in zip(sentences, texts):
            page.sentence(pieces_of(toks, text))
        docs.append((page, spans, ids))
    results = tag_all(args.geotag_cmd, [d[0] for d in docs], args.jobs)
    rows, wrong, untitled = [], [], []
    for (page, spans, ids), (_, tags) in zip(docs, results):
        n = {'tags': len(tags), 'untitled': 0, 'titled': 0, 'correct': 0, 'redirect': 0}
        for off, length, eid, text, _ in tags:
            title, label = titles.get(eid, (None, eid))
            toks = page.tokens_in(off, off + length)
            ctx = page.sentences[page.tokens[toks[0]][2]] if toks else ''
            if title is None:
                n['untitled'] += 1
                untitled.append((page.name, text, eid, label, ctx))
                continue
            n['titled'] += 1
            if norm_title(title) in ids:
                n['correct'] += 1
                continue
            over = sorted({(t, i) for a, b, t, i in spans
                           if toks and a <= toks[-1] and b >= toks[0]},
                          key=lambda x: (x[1] is None, x))
            note = '; '.join(f'{t} {norm_title(i)}' if i else f'{t} (no id)' for t, i in over) \
                or 'no annotated mention'
            if any(loose(i) == loose(title) for t, i in over if i):
                n['redirect'] += 1
                note = 'redirect? ' + note
            wrong.append((page.name, text, eid, norm_title(title), note, ctx))
        rows.append((page.name, n))
    return rows, wrong, untitled


# ---------------------------------------------------------------- KIND

def detok(tokens):
    """Italian tokens with their spacing guessed: none before closing
    punctuation, none after an opening one or an elided article (dell')."""
    out, quote_open, glue = [], False, True
    for t in tokens:
        space = not glue
        if t in (',', '.', ';', ':', '!', '?', ')', ']', '»', '”', '%', '...', '…'):
            space = False
        if t == '"':
            if quote_open:
                space = False
            quote_open = not quote_open
        if space:
            out.append((' ', False))
        out.append((t, True))
        glue = t in ('(', '[', '«', '“') or (t == '"' and quote_open) \
            or (len(t) > 1 and t[-1] in "'’" and t[-2].isalpha())
    return out


def read_kind(path):
    """-> [[(token, tag)]] sentences."""
    sents, cur = [], []
    with open(path, encoding='utf-8') as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip('\n')
            if not line:
                if cur:
                    sents.append(cur)
                    cur = []
                continue
            col = line.split('\t')
            if len(col) != 2:
                raise Fail(f'{path}:{n}: not token<TAB>tag: {line!r}')
            tag = col[1]
            if tag.startswith(('B-', 'I-')):
                tag = tag[2:]
            cur.append((col[0], tag))
    if cur:
        sents.append(cur)
    return sents


def kind_documents(sents):
    """Split sentences into documents at headlines (see the module doc)."""
    docs, cur = [], []

    def final(s):
        return s[-1][0].endswith(FINAL)

    for i, s in enumerate(sents):
        headline = not final(s) and (i == 0 or final(sents[i - 1]))
        if headline and cur:
            lead = []
            # "Ischia :" before "sospettati 3 ragazzi ..." belongs to the headline
            if len(cur) > 1 and cur[-1][-1][0] == ':' and len(cur[-1]) <= 5:
                lead = [cur.pop()]
            docs.append(cur)
            cur = lead
        cur.append(s)
    if cur:
        docs.append(cur)
    return docs


def kind(args, titles):
    files = sorted(glob.glob(os.path.join(args.kind, '*.tsv')))
    if not files:
        raise Fail(f'{args.kind}: no *.tsv file')
    rows, wrong, treaties, inside = [], [], [], []
    for path in files:
        fname = os.path.splitext(os.path.basename(path))[0]
        docs = kind_documents(read_kind(path))
        pages, labels = [], []
        for d, sents in enumerate(docs, 1):
            page = Page(f'{fname} #{d}', 'it')
            tags = []
            for s in sents:
                page.sentence(detok([t for t, _ in s]))
                tags += [tag for _, tag in s]
            pages.append(page)
            labels.append(tags)
        n = {'docs': len(docs), 'tags': 0, 'treaty': 0, 'lower': 0, 'capitalized': 0, 'correct': 0,
             'inside': 0}
        for (page, tags), lab in zip(tag_all(args.geotag_cmd, pages, args.jobs), labels):
            for off, length, eid, text, kind_ in tags:
                n['tags'] += 1
                if kind_ == 'treaty':
                    n['treaty'] += 1
                    toks = page.tokens_in(off, off + length)
                    ctx = page.sentences[page.tokens[toks[0]][2]] if toks else ''
                    treaties.append((page.name, text, eid, titles.get(eid, (None, eid))[1], ctx))
                    continue
                if not text[:1].isupper():
                    n['lower'] += 1
                    continue
                n['capitalized'] += 1
                toks = page.tokens_in(off, off + length)
                ctx = page.sentences[page.tokens[toks[0]][2]] if toks else ''
                if any(lab[i] in ('PER', 'LOC', 'ORG') for i in toks):
                    n['correct'] += 1
                    first, last = toks[0], toks[-1]
                    while first > 0 and lab[first - 1] == lab[toks[0]] != 'O':
                        first -= 1
                    while last + 1 < len(lab) and lab[last + 1] == lab[toks[-1]] != 'O':
                        last += 1
                    if first < toks[0] or last > toks[-1]:
                        n['inside'] += 1
                        name = ''.join(t for t, _ in detok(page.words[first:last + 1]))
                        inside.append((page.name, text, eid, titles.get(eid, (None, eid))[1],
                                       f'{lab[first]} {name}', ctx))
                    continue
                wrong.append((page.name, text, eid, titles.get(eid, (None, eid))[1], ctx))
        rows.append((fname, n))
    return rows, wrong, treaties, inside


# ---------------------------------------------------------------- report

def pct(a, b):
    return f'{100.0 * a / b:.1f}%' if b else '-'


def table(head, rows):
    w = [max(len(str(r[i])) for r in [head] + rows) for i in range(len(head))]
    line = lambda r: '  '.join(str(c).ljust(w[i]) if i == 0 else str(c).rjust(w[i])
                               for i, c in enumerate(r)).rstrip()
    return '\n'.join([line(head), line(['-' * x for x in w])] + [line(r) for r in rows])


def gum_report(rows, dicts):
    out = [f'GUM (English Wikinews): the title of each tag among the document\'s Wikipedia ids; '
           f'dictionary {" + ".join(dicts)}']
    body, tot = [], {'tags': 0, 'untitled': 0, 'titled': 0, 'correct': 0, 'redirect': 0}
    for name, n in rows + [('total', tot)]:
        if n is not tot:
            for k in tot:
                tot[k] += n[k]
        body.append([name, n['tags'], n['untitled'], n['titled'], n['correct'],
                     n['titled'] - n['correct'], n['redirect'], pct(n['correct'], n['titled'])])
    out.append(table(['document', 'tags', 'no title', 'titled', 'correct', 'wrong',
                      'redirect?', 'precision'], body))
    out.append('redirect?: wrong tags whose title differs from the annotated one only in case, '
               'accents or punctuation (counted wrong)')
    return '\n'.join(out), tot


def kind_report(rows, dicts):
    out = [f'KIND (Italian Wikinews): capitalized tags inside a PER/LOC/ORG span; '
           f'dictionary {" + ".join(dicts)}']
    body, tot = [], {'docs': 0, 'tags': 0, 'treaty': 0, 'lower': 0, 'capitalized': 0, 'correct': 0,
                     'inside': 0}
    for name, n in rows + [('total', tot)]:
        if n is not tot:
            for k in tot:
                tot[k] += n[k]
        body.append([name, n['docs'], n['tags'], n['treaty'], n['lower'], n['capitalized'],
                     n['correct'], n['inside'], n['capitalized'] - n['correct'],
                     pct(n['correct'], n['capitalized'])])
    out.append(table(['file', 'documents', 'tags', 'treaties', 'lower case', 'capitalized',
                      'in a span', 'inside', 'wrong', 'precision'], body))
    out.append('treaties and lower-case tags are not judged: KIND marks persons, places and '
               'organizations only;\ninside: in a span that is longer than the tag (counted in a span; '
               'a name inside another name?)')
    return '\n'.join(out), tot


def clean(s):
    return ' '.join(s.split())


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog='\n\n'.join(__doc__.split('\n\n')[2:]))
    shared = os.environ.get('GEOTAG_SHARED') or os.path.join(TOP, '..', 'shared')
    ap.add_argument('--dict', action='append', metavar='FILE',
                    help='dictionary (repeatable; default conf/gazetteer.xml)')
    ap.add_argument('--wrong', metavar='FILE', help='write every wrong tag here')
    ap.add_argument('--only', choices=('gum', 'kind'), help='one corpus only')
    ap.add_argument('--geotag', default=os.path.join(TOP, 'build', 'geotag'), metavar='BIN')
    ap.add_argument('--lang-packs', metavar='DIR', help='passed to geotag')
    ap.add_argument('--shared', default=shared, metavar='DIR',
                    help='shared material ($GEOTAG_SHARED, else ../shared)')
    ap.add_argument('--gum', metavar='DIR', help='GUM: DIR/coref-conll, DIR/dep-conllu')
    ap.add_argument('--kind', metavar='DIR', help='KIND: DIR/*.tsv')
    ap.add_argument('--jobs', type=int, default=os.cpu_count() or 1, metavar='N')
    args = ap.parse_args(argv)
    dicts = args.dict or [os.path.join(TOP, 'conf', 'gazetteer.xml')]
    args.gum = args.gum or os.path.join(args.shared, 'corpus', 'ner', 'gum-news-en')
    args.kind = args.kind or os.path.join(args.shared, 'corpus', 'ner', 'kind-wikinews-it')
    args.geotag_cmd = [args.geotag]
    for d in dicts:
        args.geotag_cmd += ['--dict', d]
    if args.lang_packs:
        args.geotag_cmd += ['--lang-packs', args.lang_packs]
    shown = [os.path.relpath(d) if not os.path.isabs(d) or d.startswith(os.getcwd()) else d
             for d in dicts]
    try:
        titles = read_dicts(dicts)
        report, lists = [], [f'# dictionary: {" + ".join(shown)}']
        if args.only in (None, 'gum'):
            rows, wrong, untitled = gum(args, titles)
            text, tot = gum_report(rows, shown)
            report.append(text)
            lists.append(f'# GUM: {len(wrong)} wrong tags (document, text, our id, our title, '
                         f'the annotated mentions it overlaps, sentence)')
            lists += ['\t'.join(clean(c) for c in w) for w in wrong]
            lists.append(f'# GUM: {len(untitled)} tags without an English Wikipedia title, not judged '
                         f'(document, text, our id, our English name, sentence)')
            lists += ['\t'.join(clean(c) for c in u) for u in untitled]
        if args.only in (None, 'kind'):
            rows, wrong, treaties, inside = kind(args, titles)
            text, tot = kind_report(rows, shown)
            report.append(text)
            lists.append(f'# KIND: {len(wrong)} wrong tags (document, text, our id, our English name, '
                         f'sentence)')
            lists += ['\t'.join(clean(c) for c in w) for w in wrong]
            lists.append(f'# KIND: {len(inside)} capitalized tags inside a longer annotated name, '
                         f'counted in a span (document, text, our id, our English name, the '
                         f'annotated name, sentence)')
            lists += ['\t'.join(clean(c) for c in w) for w in inside]
            lists.append(f'# KIND: {len(treaties)} treaty tags, not judged (document, text, our id, '
                         f'our English name, sentence)')
            lists += ['\t'.join(clean(c) for c in w) for w in treaties]
    except (Fail, OSError) as e:
        print(f'precision: {e}', file=sys.stderr)
        return 1
    print('\n\n'.join(report))
    if args.wrong:
        with open(args.wrong, 'w', encoding='utf-8') as f:
            f.write('\n'.join(lists) + '\n')
    return 0


if __name__ == '__main__':
    sys.exit(main())
