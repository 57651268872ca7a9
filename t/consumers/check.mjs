// node t/consumers/check.mjs LIST VOCAB
//
// Judges tagged pages with software this project did not write: parse5
// (DOM after unwrapping, forbidden contexts), jsonld.js (expansion in safe
// mode, @id references, the page's article @id) and
// @adobe/structured-data-validator (Google's rules with the schema.org
// vocabulary).  LIST is a JSON file: [{name, orig, tagged}], the paths of
// the original bytes and of the bytes the server sent.  Prints one JSON
// object per line: {name, check, ok, detail}.
import { readFileSync } from 'node:fs';
import { parse } from 'parse5';
import jsonld from 'jsonld';
import { Validator } from '@adobe/structured-data-validator/src/validator.js';

const [listFile, vocabFile] = process.argv.slice(2);
const pages = JSON.parse(readFileSync(listFile, 'utf8'));
const vocab = JSON.parse(readFileSync(vocabFile, 'utf8'));

// ---------------------------------------------------------------- decoding
// parse5 takes a string: decode the bytes as a browser would (BOM, then
// the first <meta charset> / http-equiv in the first 1024 bytes, else
// windows-1252 per WHATWG's default for unlabelled documents).  The same
// decoder serves the original and the tagged page, and our insertions are
// ASCII, so a decoding difference is a real one.
function sniff(buf) {
  if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) return 'utf-8';
  if (buf[0] === 0xfe && buf[1] === 0xff) return 'utf-16be';
  if (buf[0] === 0xff && buf[1] === 0xfe) return 'utf-16le';
  const head = buf.subarray(0, 1024).toString('latin1');
  const m = head.match(/<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.-]+)/i);
  return m ? m[1].toLowerCase() : 'utf-8';
}
function decode(buf) {
  let label = sniff(buf);
  try {
    return new TextDecoder(label).decode(buf);
  } catch {
    return new TextDecoder('windows-1252').decode(buf);
  }
}

// ---------------------------------------------------------------- the DOM
const isInserted = (el) =>
  el.attrs && el.attrs.some((a) => a.name === 'data-geotag' && a.value !== 'off');
const isOurScript = (el) =>
  el.tagName === 'script' && el.attrs.some((a) => a.name === 'id' && a.value === 'geotag-jsonld');

// The tree as a list of tokens with our elements unwrapped (their children
// kept in place, the JSON-LD script dropped) and adjacent text merged.
function tokens(doc) {
  const out = [];
  let text = null;
  const flush = () => {
    if (text !== null) out.push({ t: '#text ' + JSON.stringify(text.v), loc: text.loc, path: text.path });
    text = null;
  };
  const walk = (node, path) => {
    for (const [i, c] of (node.childNodes || []).entries()) {
      const here = `${path}/${c.nodeName}[${i}]`;
      if (c.nodeName === '#text') {
        if (text === null) text = { v: '', loc: c.sourceCodeLocation, path: here };
        text.v += c.value;
        continue;
      }
      if (c.tagName && isOurScript(c)) continue;
      if (c.tagName && isInserted(c)) {
        walk(c, path); // unwrap: its children belong to the parent
        continue;
      }
      flush();
      if (c.nodeName === '#comment') {
        out.push({ t: '#comment ' + JSON.stringify(c.data), loc: c.sourceCodeLocation, path: here });
      } else if (c.nodeName === '#documentType') {
        out.push({ t: `#doctype ${c.name}`, loc: c.sourceCodeLocation, path: here });
      } else if (c.tagName) {
        const attrs = c.attrs.map((a) => `${a.prefix ? a.prefix + ':' : ''}${a.name}=${JSON.stringify(a.value)}`).join(' ');
        out.push({ t: `<${c.namespaceURI.split('/').pop()}:${c.tagName} ${attrs}>`, loc: c.sourceCodeLocation, path: here });
        walk(c.content || c, here); // <template>: its content
        flush();
        out.push({ t: `</${c.tagName}>`, loc: c.sourceCodeLocation, path: here });
      }
    }
  };
  walk(doc, '');
  flush();
  return out;
}

// DESIGN §4: where GEOTAG never inserts.
const FORBIDDEN = new Set(['script', 'style', 'template', 'textarea', 'title', 'svg', 'math', 'code',
  'pre', 'a', 'button', 'select', 'option', 'label', 'time', 'data', 'head', 'noscript', 'iframe',
  'object', 'optgroup', 'datalist']);
const FORBIDDEN_JSONLD = new Set(['template', 'svg', 'math', 'textarea', 'title', 'select', 'option',
  'noscript', 'iframe', 'object', 'style', 'script']);

function forbiddenPlaces(doc) {
  const found = [];
  const walk = (node, ancestors) => {
    for (const c of node.childNodes || []) {
      if (!c.tagName) continue;
      const mine = isInserted(c);
      if (mine) {
        const rules = isOurScript(c) ? FORBIDDEN_JSONLD : FORBIDDEN;
        const bad = ancestors.find((a) =>
          rules.has(a.tagName) ||
          a.namespaceURI !== 'http://www.w3.org/1999/xhtml' ||
          (!isOurScript(c) && isInserted(a)) ||
          a.attrs.some((x) => (x.name === 'data-geotag' && x.value === 'off') ||
                              (x.name === 'class' && /(^|\s)geotag-off(\s|$)/.test(x.value))));
        if (bad) {
          const at = c.sourceCodeLocation ? ` at byte ~${c.sourceCodeLocation.startOffset}` : '';
          found.push(`<${c.tagName} data-geotag> inside <${bad.tagName}>${at}`);
        }
        if (c.parentNode && c.parentNode.nodeName === 'head' && !isOurScript(c)) {
          found.push(`<${c.tagName} data-geotag> in <head>`);
        }
      }
      walk(c.content || c, [...ancestors, c]);
    }
  };
  walk(doc, []);
  return found;
}

function domCheck(orig, tagged) {
  const opts = { sourceCodeLocationInfo: true };
  const a = tokens(parse(orig, opts));
  const tdoc = parse(tagged, opts);
  const b = tokens(tdoc);
  const problems = [];
  let i = 0;
  while (i < a.length && i < b.length && a[i].t === b[i].t) i++;
  if (i < a.length || i < b.length) {
    const at = (x) => (x ? `${x.path} (byte ~${x.loc ? x.loc.startOffset : '?'}) ${x.t.slice(0, 80)}` : '(end)');
    problems.push(`first differing node #${i}: original ${at(a[i])}; tagged ${at(b[i])}`);
  }
  const bad = forbiddenPlaces(tdoc);
  if (bad.length) problems.push(`${bad.length} inserted element(s) in a forbidden context: ${bad.slice(0, 3).join('; ')}`);
  return { ok: problems.length === 0, detail: problems.join(' | '), tdoc };
}

// ---------------------------------------------------------------- JSON-LD
function ldScripts(doc) {
  const found = [];
  const walk = (node) => {
    for (const c of node.childNodes || []) {
      if (c.tagName === 'script' &&
          c.attrs.some((a) => a.name === 'type' && a.value.trim().toLowerCase() === 'application/ld+json')) {
        found.push({ ours: isOurScript(c), text: (c.childNodes || []).map((t) => t.value).join('') });
      }
      if (c.tagName || c.nodeName === '#document') walk(c.content || c);
    }
  };
  walk(doc);
  return found;
}

const SCHEMA_CONTEXT = { '@context': { '@vocab': 'https://schema.org/' } };
const documentLoader = async (url) => {
  if (/^https?:\/\/schema\.org\/?$/.test(url) || /^https?:\/\/schema\.org\/docs\/jsonldcontext\.json?$/.test(url)) {
    return { contextUrl: null, documentUrl: url, document: SCHEMA_CONTEXT };
  }
  throw new Error(`no network: ${url}`);
};

const ARTICLE = new Set(['Article', 'NewsArticle', 'BlogPosting', 'ReportageNewsArticle',
  'AnalysisNewsArticle', 'OpinionNewsArticle', 'ReviewNewsArticle', 'BackgroundNewsArticle',
  'AskPublicNewsArticle', 'SatiricalArticle', 'ScholarlyArticle', 'TechArticle', 'Report',
  'LiveBlogPosting', 'SocialMediaPosting', 'AdvertiserContentArticle', 'MedicalScholarlyArticle']
  .map((t) => 'https://schema.org/' + t));

// every node object of an expanded document, nested ones included
function nodes(expanded, acc = []) {
  const visit = (v) => {
    if (Array.isArray(v)) return v.forEach(visit);
    if (!v || typeof v !== 'object' || '@value' in v) return;
    if ('@list' in v) return visit(v['@list']);
    if ('@set' in v) return visit(v['@set']);
    acc.push(v);
    for (const [k, x] of Object.entries(v)) if (k !== '@id' && k !== '@type') visit(x);
    if (v['@graph']) visit(v['@graph']);
  };
  visit(expanded);
  return acc;
}
const isRef = (n) => n['@id'] !== undefined && Object.keys(n).length === 1;

// our entity mentions ("KIND ID"; dates and figures left out: a page with
// only those and no figure fact gets no JSON-LD by design)
function inlineCount(doc) {
  let n = 0;
  const walk = (node) => {
    for (const c of node.childNodes || []) {
      if (!c.tagName) continue;
      if (c.tagName === 'span' && c.attrs.some((a) => a.name === 'data-geotag' && /^\S+ \S+$/.test(a.value))) n++;
      walk(c.content || c);
    }
  };
  walk(doc);
  return n;
}

async function jsonldCheck(scripts, inline) {
  const ours = scripts.filter((s) => s.ours);
  const theirs = scripts.filter((s) => !s.ours);
  // a page that keeps our markup always gets its JSON-LD
  if (ours.length === 0 && inline) return { ok: false, detail: `${inline} entity mention(s) marked but no JSON-LD block` };
  if (ours.length === 0) return { ok: true, detail: 'no JSON-LD of ours', skipped: true };
  if (ours.length > 1) return { ok: false, detail: `${ours.length} JSON-LD blocks of ours` };
  let doc;
  try {
    doc = JSON.parse(ours[0].text);
  } catch (e) {
    return { ok: false, detail: `our block is not JSON: ${e.message}` };
  }
  let mine;
  try {
    mine = await jsonld.expand(doc, { safe: true, documentLoader });
  } catch (e) {
    return { ok: false, detail: `our block does not expand in safe mode: ${e.name}: ${e.message}${e.details ? ' ' + JSON.stringify(e.details).slice(0, 200) : ''}` };
  }
  // the page's own blocks: those that parse and expand (safe mode when
  // they allow it: some pages' own data would not pass it)
  const pageNodes = [];
  const pageDocs = [];
  for (const s of theirs) {
    try {
      pageDocs.push(JSON.parse(s.text));
    } catch {
      /* the page's own broken block: not ours to judge */
    }
  }
  for (const d of pageDocs) {
    let e;
    try {
      e = await jsonld.expand(d, { safe: true, documentLoader });
    } catch {
      try {
        e = await jsonld.expand(d, { documentLoader });
      } catch {
        continue;
      }
    }
    nodes(e, pageNodes);
  }
  // ours and theirs together, as a consumer reads the page
  try {
    await jsonld.expand([...pageDocs, doc], { documentLoader });
  } catch (e) {
    if (pageDocs.length) {
      // a page block that cannot be expanded at all (a remote context):
      // ours alone already passed
    }
  }
  const myNodes = nodes(mine);
  const defined = new Set([...myNodes, ...pageNodes].filter((n) => !isRef(n) && n['@id']).map((n) => n['@id']));
  const problems = [];
  const undef = [...new Set(myNodes.filter((n) => isRef(n) && !defined.has(n['@id'])).map((n) => n['@id']))];
  if (undef.length) problems.push(`undefined @id reference(s): ${undef.slice(0, 3).join(', ')}`);
  // the subject: the first node of our @graph (about / mentions hang on it)
  const subject = mine[0];
  if (!subject) problems.push('our block has no node');
  else if (!subject['@id'] || subject['@id'].startsWith('_:')) problems.push(`subject ${subject['@type']} without @id`);
  const articles = pageNodes.filter((n) => (n['@type'] || []).some((t) => ARTICLE.has(t)) &&
                                        n['@id'] && !n['@id'].startsWith('_:'));
  if (subject && articles.length && !articles.some((a) => a['@id'] === subject['@id'])) {
    problems.push(`the page's article @id ${articles[0]['@id']} not reused (subject @id ${subject['@id']})`);
  }
  return { ok: problems.length === 0, detail: problems.join(' | ') };
}

// ---------------------------------------------------------------- validator
// The shape @marbec/web-auto-extractor gives the validator: jsonld: {Type: [items]}.
function waeData(scripts) {
  const data = { jsonld: {}, microdata: {}, rdfa: {}, errors: [] };
  for (const s of scripts) {
    let d;
    try {
      d = JSON.parse(s.text);
    } catch (e) {
      data.errors.push({ format: 'jsonld', message: `JSON-LD: ${e.message.replace(/ at position \d+.*/, '')}` });
      continue;
    }
    const items = Array.isArray(d) ? d : d && d['@graph'] ? d['@graph'] : [d];
    for (const it of items) {
      if (!it || typeof it !== 'object' || !it['@type']) continue;
      const type = Array.isArray(it['@type']) ? it['@type'][0] : it['@type'];
      (data.jsonld[type] ||= []).push(structuredClone(it));
    }
  }
  return data;
}
async function validatorIssues(scripts) {
  const v = new Validator(vocab);
  const issues = await v.validate(waeData(scripts));
  return issues.map((i) => `${i.severity} ${i.rootType} ${JSON.stringify((i.path || []).map((p) => [p.property, p.type, p.index]))} ${i.issueMessage}`);
}
async function validatorCheck(origScripts, taggedScripts) {
  const before = new Map();
  for (const k of await validatorIssues(origScripts)) before.set(k, (before.get(k) || 0) + 1);
  const fresh = [];
  for (const k of await validatorIssues(taggedScripts)) {
    if (before.get(k)) before.set(k, before.get(k) - 1);
    else fresh.push(k);
  }
  return { ok: fresh.length === 0, detail: fresh.length ? `${fresh.length} new: ${fresh.slice(0, 3).join('; ')}` : '' };
}

// ---------------------------------------------------------------- main
const emit = (name, check, r) => process.stdout.write(JSON.stringify({ name, check, ok: r.ok, detail: r.detail || '', skipped: !!r.skipped }) + '\n');
for (const p of pages) {
  const origBytes = readFileSync(p.orig);
  const taggedBytes = readFileSync(p.tagged);
  const orig = decode(origBytes);
  const tagged = decode(taggedBytes);
  let tdoc;
  try {
    const r = domCheck(orig, tagged);
    tdoc = r.tdoc;
    emit(p.name, 'parse5', r);
  } catch (e) {
    emit(p.name, 'parse5', { ok: false, detail: `parse5 check died: ${e.stack}` });
    continue;
  }
  const odoc = parse(orig);
  const oScripts = ldScripts(odoc);
  const tScripts = ldScripts(tdoc);
  try {
    emit(p.name, 'jsonld', await jsonldCheck(tScripts, inlineCount(tdoc)));
  } catch (e) {
    emit(p.name, 'jsonld', { ok: false, detail: `jsonld check died: ${e.stack}` });
  }
  try {
    emit(p.name, 'validator', await validatorCheck(oScripts, tScripts));
  } catch (e) {
    emit(p.name, 'validator', { ok: false, detail: `validator died: ${e.stack}` });
  }
}
