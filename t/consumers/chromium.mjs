// node t/consumers/chromium.mjs LIST
//
// Headless Chromium (Debian's, driven by playwright-core; it never
// downloads a browser) renders each original and tagged page with
// JavaScript off and compares what a reader gets: body.innerText, and the
// box of every element of the page (ours and replaced ones left out,
// matched in document order) to 0.5 px; then JSON.parse of our block in
// the page.  LIST is a
// JSON file: [{name, orig, tagged}] of URLs.  Only requests to those URLs'
// own host are let through (no network: other requests would fail at
// their own pace and make layouts depend on timing), and images are off:
// a lazy image below the viewport starts loading, or not, by Chromium's
// own estimate of the network, which moved its box between two renders of
// the same page (our markup wraps text, never an image).  Prints one JSON
// object per line: {name, check: "chromium", ok, detail}.
import { readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';

const pages = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--font-render-hinting=none', '--disable-dev-shm-usage',
    '--blink-settings=imagesEnabled=false'],
});

// runs in the page: what a reader sees, ours left out
function snapshot() {
  const mine = (el) => el.hasAttribute('data-geotag') && el.getAttribute('data-geotag') !== 'off';
  const boxes = [];
  // replaced elements' own boxes are left out: their size is the
  // resource's (an image whose request is refused shows a 16 px icon, or
  // nothing, by when the refusal arrives), which our markup never touches;
  // what they push around still counts
  const replaced = /^(img|picture|video|audio|iframe|object|embed|canvas)$/i;
  for (const el of document.querySelectorAll('*')) {
    if (mine(el)) continue;
    if (replaced.test(el.tagName)) continue;
    const r = el.getBoundingClientRect();
    // a non-replaced inline box with nothing painted of its own: its
    // height is font metrics, not layout (Chromium reports the line box's
    // height for a <strong> whose only content is an element, 19 -> 27 px
    // on EveningStandard with nothing on screen moving); its position and
    // width still count, and the lines' heights count in their blocks
    const cs = getComputedStyle(el);
    const bare = cs.display === 'inline' && !/^(svg|input|select|textarea|button)$/i.test(el.tagName) &&
      cs.backgroundColor === 'rgba(0, 0, 0, 0)' && cs.backgroundImage === 'none' &&
      cs.borderTopStyle === 'none' && cs.borderBottomStyle === 'none' &&
      cs.outlineStyle === 'none' && cs.boxShadow === 'none' && cs.textDecorationLine === 'none';
    const path = [];
    for (let e = el; e && e.nodeType === 1 && path.length < 6; e = e.parentElement) {
      path.unshift(e.tagName.toLowerCase() + (e.id ? '#' + e.id : ''));
    }
    boxes.push([path.join('>'), r.x, r.y, r.width, r.height, bare]);
  }
  const block = document.getElementById('geotag-jsonld');
  let json = null;
  if (block) {
    try {
      const d = JSON.parse(block.textContent);
      json = d && typeof d === 'object' ? 'ok' : 'not an object';
    } catch (e) {
      json = 'JSON.parse: ' + e.message;
    }
  }
  return { text: document.body ? document.body.innerText : '', boxes, json };
}

// how far a box moved: x, y, width, and the height unless the box is a
// bare inline in both renders (snapshot)
function distance(x, y) {
  const dims = x[5] && y[5] ? [1, 2, 3] : [1, 2, 3, 4];
  return Math.max(...dims.map((k) => Math.abs(x[k] - y[k])));
}

async function render(context, url) {
  const page = await context.newPage();
  const host = new URL(url).host;
  await page.route('**/*', (route) => {
    const u = new URL(route.request().url());
    if (u.protocol === 'file:' || u.host === host) return route.continue();
    return route.abort();
  });
  await page.goto(url, { waitUntil: 'load', timeout: 60000 });
  const s = await page.evaluate(snapshot);
  await page.close();
  return s;
}

const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1000, height: 1400 } });
for (const p of pages) {
  const problems = [];
  try {
    const a = await render(context, p.orig);
    const b = await render(context, p.tagged);
    // the original rendered a second time: a box that moves between two
    // renders of the same page (an image that fails to load in its own
    // time) is no evidence against the tagged one
    const a2 = await render(context, p.orig);
    const unstable = (i) => a2.boxes.length === a.boxes.length &&
      (a2.boxes[i][0] !== a.boxes[i][0] || distance(a.boxes[i], a2.boxes[i]) >= 0.5);
    // and the tagged page a second time: a box moved by our markup moves
    // in both renders (a broken image's icon, 16 px or none, came and went
    // in one render of the tagged page only)
    const b2 = await render(context, p.tagged);
    const moved2 = (i) => b2.boxes.length !== a2.boxes.length ||
      b2.boxes[i][0] !== a2.boxes[i][0] || distance(a2.boxes[i], b2.boxes[i]) >= 0.5;
    if (a.text !== b.text) {
      let i = 0;
      while (i < a.text.length && a.text[i] === b.text[i]) i++;
      problems.push(`innerText differs at character ${i}: original ${JSON.stringify(a.text.slice(i, i + 40))}, tagged ${JSON.stringify(b.text.slice(i, i + 40))}`);
    }
    if (a.boxes.length !== b.boxes.length) {
      problems.push(`${a.boxes.length} elements in the original, ${b.boxes.length} in the tagged page (ours left out)`);
    } else {
      let moved = 0;
      let first = null;
      for (let i = 0; i < a.boxes.length; i++) {
        const x = a.boxes[i];
        const y = b.boxes[i];
        const d = distance(x, y);
        if ((x[0] !== y[0] || d >= 0.5) && !unstable(i) && moved2(i)) {
          moved++;
          first ||= `element #${i} ${x[0]}: (${x.slice(1, 5).map((v) => v.toFixed(2))}) -> ${y[0] === x[0] ? '' : y[0] + ' '}(${y.slice(1, 5).map((v) => v.toFixed(2))})`;
        }
      }
      if (moved) problems.push(`${moved} element box(es) moved by >= 0.5 px, first ${first}`);
    }
    if (b.json === null) problems.push('no JSON-LD block of ours in the rendered page');
    else if (b.json !== 'ok') problems.push(`our block: ${b.json}`);
  } catch (e) {
    problems.push(`Chromium: ${e.message.split('\n')[0]}`);
  }
  process.stdout.write(JSON.stringify({ name: p.name, check: 'chromium', ok: problems.length === 0, detail: problems.join(' | ') }) + '\n');
}
await browser.close();
