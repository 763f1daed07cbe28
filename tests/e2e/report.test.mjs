// report.test.mjs — the service level report as a manager opens it from the
// dashboard: styled by its own stylesheet, which the console's policy allows
// by hash, while any other inline style or script is refused.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serverUrl, launch, signIn } from './lib.mjs';

let base;
let browser;

before(async () => {
  base = await serverUrl();
  browser = await launch();
});

after(async () => {
  await browser?.close();
});

// Insert an element made by the page's own DOM and say which directive
// refused it, or 'applied' when nothing did.
const probe = (page, tag, text) => page.evaluate(([t, body]) => new Promise((resolve) => {
  document.addEventListener('securitypolicyviolation', (e) => resolve(e.violatedDirective), { once: true });
  const el = document.createElement(t);
  el.textContent = body;
  document.head.append(el);
  setTimeout(() => resolve(window.probeRan || getComputedStyle(document.body).outlineStyle === 'dotted' ? 'applied' : 'nothing'), 1000);
}), [tag, text]);

test('the HTML report is styled by its own stylesheet; other inline style and script are refused', async () => {
  const { context, page } = await signIn(browser, base, 'manager1');
  const res = await page.goto(`${base}/api/v1/reports/service-level?customer=acme&month=2026-03&format=html`);
  assert.equal(res.status(), 200);
  assert.match(await page.textContent('h1'), /Service level report/);
  const th = await page.evaluate(() => getComputedStyle(document.querySelector('th')).backgroundColor);
  assert.equal(th, 'rgb(237, 242, 247)', 'the report\'s own stylesheet applies');
  assert.match(await probe(page, 'style', 'body{outline:2px dotted red}'), /^style-src/);
  assert.match(await probe(page, 'script', 'window.probeRan = "applied"'), /^script-src/);
  assert.deepEqual(page.errors, []);
  await context.close();
});
