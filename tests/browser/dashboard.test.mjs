// The dashboard against a real `securescore serve --demo`: every page shows the API's numbers,
// a state change moves the score on the page, filters/search/CSV/sorting work on real data, and
// a reader can neither see nor use editing controls. Screenshots of every page (light, dark,
// phone) land in $SECURESCORE_TEST_OUTPUT/screenshots.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { config, fmt, goTo, isoDaysAgo, launchBrowser, openPage, screenshot, startServer } from './harness.mjs';

let server;
let browser;
let api;
let tenant; // the tenant the single-tenant pages are checked on
let page; // an admin's page, shared by the tests in order

const t = (p = '') => `/api/v1/tenants/${encodeURIComponent(tenant.id)}${p}`;
const rowIds = (selector) => page.$$eval(`${selector} tbody tr[data-id]`, (rows) => rows.map((r) => r.dataset.id));
const text = async (selector) => (await page.textContent(selector)).replace(/\s+/g, ' ').trim();

before(async () => {
  server = await startServer();
  api = server.api();
  const { tenants } = await api.get('/api/v1/tenants');
  assert.ok(tenants.length >= 3, `the demo has at least 3 tenants (has ${tenants.length})`);
  tenant = tenants.find((x) => x.score) ?? tenants[0];
  browser = await launchBrowser();
  page = await openPage(browser);
  await page.goto(server.url);
  await page.waitForSelector('.page[data-ready="true"]');
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

describe('first load', () => {
  it('moves the token from the URL into session storage', async () => {
    assert.ok(!page.url().includes('token='), `URL still carries the token: ${page.url()}`);
    const stored = await page.evaluate(() => sessionStorage.getItem('securescore.token'));
    assert.equal(stored, server.token);
  });

  it('explains an invalid token instead of showing pages', async () => {
    const other = await openPage(browser);
    await other.goto(`${server.origin}/#token=not-a-real-token`);
    await other.waitForSelector('.signin [role=alert]');
    assert.match(await other.textContent('.signin'), /expired or is not valid/);
    await other.context().close();
  });
});

describe('every page renders the API numbers', () => {
  it('overview', async () => {
    await goTo(page, `#/t/${tenant.id}/overview`);
    const score = await api.get(t('/score'));
    assert.equal(await text('#score-percentage'), fmt.percent(score.score.percentage));
    assert.equal(await text('#score-points'),
                 `${fmt.points(score.score.current)} / ${fmt.points(score.score.max)} points achieved`);
    assert.match(await text('#header-score'), new RegExp(fmt.percent(score.score.percentage).replace('.', '\\.')));
    for (const c of score.categories) {
      const cells = await page.$$eval(`#category-table tr[data-category="${c.name}"] td`, (tds) => tds.map((td) => td.textContent));
      assert.equal(cells[0], c.max > 0 ? `${fmt.points(c.current)} / ${fmt.points(c.max)}` : 'not scored', c.name);
    }
    for (const [key, value] of Object.entries(score.coverage)) {
      assert.equal(await text(`#coverage [data-figure="${key}"] .value`), String(value), key);
    }
    const compare = await api.get(t('/compare'));
    for (const b of compare.bases ?? compare.comparisons) {
      const row = await text(`#comparison tr[data-basis="${b.basis}"]`);
      if (b.withheld) assert.match(row, /withheld/, b.basis);
      else assert.ok(row.includes(fmt.percent(b.averageScore)), `${b.basis}: ${row}`);
    }
    const top = await api.get(`${t('/actions')}?sort=scoreImpact&order=desc&limit=8`);
    const expected = top.items.filter((a) => a.scoreImpact > 0).slice(0, 5).map((a) => a.id);
    assert.deepEqual(await rowIds('#top-actions'), expected);
    assert.ok(await page.$('.card canvas'), 'the history and category charts are drawn');
  });

  it('recommended actions', async () => {
    await goTo(page, `#/t/${tenant.id}/actions`);
    const list = await api.get(`${t('/actions')}?sort=scoreImpact&order=desc&limit=1000`);
    assert.deepEqual(await rowIds('#actions-table'), list.items.map((a) => a.id));
    const first = list.items[0];
    assert.equal(await text(`#actions-table tr[data-id="${first.id}"] td.points`),
                 `${fmt.points(first.points)} / ${fmt.points(first.max)}`);
    const achieved = list.items.reduce((s, a) => s + a.points, 0);
    assert.match(await text('#actions-summary'), new RegExp(`^${list.items.length} of ${list.total} actions`));
    assert.ok((await text('#actions-summary')).includes(fmt.points(achieved)));
  });

  it('action detail', async () => {
    const list = await api.get(`${t('/actions')}?sort=scoreImpact&order=desc&limit=1`);
    const id = list.items[0].id;
    await goTo(page, `#/t/${tenant.id}/actions/${id}`);
    const a = await api.get(t(`/actions/${encodeURIComponent(id)}`));
    assert.equal(await text('h1'), a.title);
    assert.equal(await text('[data-stat="points"] .value'), `${fmt.points(a.points)} / ${fmt.points(a.max)}`);
    if (a.failing.length > 0) {
      assert.equal(await page.$$eval('#failing-table tbody tr', (r) => r.length), Math.min(500, a.failing.length));
    }
  });

  it('history', async () => {
    await goTo(page, `#/t/${tenant.id}/history`);
    const from = await page.inputValue('#history-from');
    const to = await page.inputValue('#history-to');
    assert.equal(from, isoDaysAgo(90));
    const h = await api.get(`${t('/history')}?from=${from}&to=${to}`);
    assert.ok(h.daily.length > 0, 'the demo has history');
    // The page charts securescore's own daily scores (Microsoft's imported ones aside).
    if (h.daily.some((d) => d.source !== 'microsoft')) h.daily = h.daily.filter((d) => d.source !== 'microsoft');
    const summary = await text('#history-summary');
    assert.ok(summary.includes(fmt.percent(h.daily[0].percentage)), summary);
    assert.ok(summary.includes(fmt.percent(h.daily.at(-1).percentage)), summary);
    // docs/api.md lists one row per control change; the service groups them per evaluation.
    const expected = h.changes.flatMap((c) => (c.controls ? c.controls.filter((x) => x.toPoints !== x.fromPoints) : [c]));
    const rows = await page.$$eval('#changes-table tbody tr', (r) => r.length);
    assert.equal(rows, expected.length);
  });

  it('metrics & trends', async () => {
    await goTo(page, `#/t/${tenant.id}/trends`);
    // The page asks for the last 90 days, today included.
    const tr = await api.get(`${t('/trends')}?from=${isoDaysAgo(89)}&to=${isoDaysAgo(0)}`);
    assert.equal(await text('[data-stat="regressions"] .value'), String(tr.regressions.length));
    assert.equal(await text('[data-stat="gained"] .value'), `+${fmt.points(tr.pointsGained)}`);
    assert.equal(await text('[data-stat="lost"] .value'), `−${fmt.points(tr.pointsLost)}`);

    // The comparison trend: the tenant against each basis's average, from the same series.
    assert.ok(tr.comparison.length > 0, 'the demo has a comparison series');
    assert.equal(tr.comparison.at(-1).date, isoDaysAgo(0), 'the series runs to today');
    // Five demo tenants: four others for AllTenants; no seat band or industry has three others.
    const today = tr.comparison.at(-1);
    const all = today.bases.find((b) => b.basis === 'AllTenants');
    assert.equal(all.peers, 4);
    assert.equal(all.withheld, false);
    // Its last day is what /compare says now.
    const compare = await api.get(t('/compare'));
    for (const b of compare.bases ?? compare.comparisons) {
      const day = today.bases.find((x) => x.basis === b.basis);
      assert.equal(day.withheld, b.withheld, b.basis);
      if (!b.withheld) assert.ok(Math.abs(day.averageScore - b.averageScore) < 1e-9, b.basis);
    }

    const latest = tr.comparison.findLast((d) => d.percentage !== null);
    assert.equal(await text('#comparison-latest [data-series="tenant"] .value'), fmt.percent(latest.percentage));
    for (const b of latest.bases) {
      assert.equal(await text(`#comparison-latest [data-basis="${b.basis}"] .value`),
                   b.withheld ? 'withheld' : fmt.percent(b.averageScore), b.basis);
    }
    // The chart is drawn from the same figures: its label carries the latest ones, and it has ink.
    const label = await page.getAttribute('#comparison-chart', 'aria-label');
    assert.ok(label.includes(`this tenant ${fmt.percent(latest.percentage)}`), label);
    const allLatest = latest.bases.find((b) => b.basis === 'AllTenants');
    assert.ok(label.includes(`All tenants ${fmt.percent(allLatest.averageScore)}`), label);
    const inked = await page.$eval('#comparison-chart', (c) => {
      const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i] > 0) n++;
      return n;
    });
    assert.ok(inked > 1000, `the comparison chart is drawn (${inked} pixels)`);

    // Every day of the figures table matches the API, withheld days included.
    const rows = await page.$$eval('#comparison-table tbody tr', (trs) => trs.map((r) => ({
      date: r.dataset.date,
      cells: Object.fromEntries([...r.querySelectorAll('td[data-series], td[data-basis]')]
        .map((td) => [td.dataset.series ?? td.dataset.basis, td.textContent.trim()])),
    })));
    assert.equal(rows.length, tr.comparison.length);
    for (const day of tr.comparison) {
      const row = rows.find((r) => r.date === day.date);
      assert.ok(row, `a row for ${day.date}`);
      assert.equal(row.cells.tenant, day.percentage === null ? '–' : fmt.percent(day.percentage), day.date);
      for (const b of day.bases) {
        assert.equal(row.cells[b.basis], b.withheld ? 'withheld' : fmt.percent(b.averageScore), `${day.date} ${b.basis}`);
      }
    }
    // Bases withheld on every day are named, not drawn.
    for (const b of today.bases) {
      const always = tr.comparison.every((d) => d.bases.find((x) => x.basis === b.basis).withheld);
      assert.equal(Boolean(await page.$(`#comparison-notes li[data-basis="${b.basis}"]`)), always, b.basis);
    }
  });

  it('what-if planner', async () => {
    await goTo(page, `#/t/${tenant.id}/whatif`);
    await page.waitForSelector('#whatif-current');
    const score = await api.get(t('/score'));
    assert.equal(await text('#whatif-current'), fmt.percent(score.score.percentage));
    const box = page.locator('#plan-list input[type=checkbox]:not(:checked)').first();
    const id = await box.getAttribute('value');
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/whatif') && r.request().method() === 'POST'),
      box.check(),
    ]);
    const projected = await response.json();
    const fresh = await api.post(t('/whatif'), { controls: JSON.parse(response.request().postData()).controls });
    assert.equal(projected.projectedPercentage, fresh.projectedPercentage);
    await page.waitForFunction((v) => document.querySelector('#whatif-projected')?.textContent === v,
                               fmt.percent(fresh.projectedPercentage));
    assert.ok(fresh.projected >= fresh.current, `ticking ${id} cannot lower the projection`);
  });

  it('fleet', async () => {
    await goTo(page, '#/fleet');
    const { tenants } = await api.get('/api/v1/tenants');
    assert.equal((await rowIds('#fleet-table')).length, tenants.length);
    for (const x of tenants) {
      const cell = await text(`#fleet-table tr[data-id="${x.id}"] td.score`);
      assert.equal(cell, x.score ? fmt.percent(x.score.percentage) : 'not evaluated', x.id);
    }
  });

  it('settings', async () => {
    await goTo(page, '#/settings');
    const { tokens } = await api.get('/api/v1/tokens');
    assert.equal(await page.$$eval('#tokens-table tbody tr', (r) => r.length), tokens.length);
    const goal = await api.get(t('/goal'));
    if (goal.target !== null) {
      assert.equal(Number(await page.inputValue('#goal-form input[type=number] >> nth=0')), goal.target);
    }
  });
});

describe('recommended actions', () => {
  it('filters and search narrow the table to what the API answers', async () => {
    await goTo(page, `#/t/${tenant.id}/actions`);
    const all = (await rowIds('#actions-table')).length;
    const { items } = await api.get(`${t('/actions')}?limit=1000`);
    const category = items.find((a) => a.category !== items[0].category)?.category ?? items[0].category;
    await Promise.all([
      page.waitForResponse((r) => r.url().includes('category=')),
      page.selectOption('#filter-category', category),
    ]);
    const byCategory = await api.get(`${t('/actions')}?category=${encodeURIComponent(category)}&sort=scoreImpact&order=desc&limit=1000`);
    await page.waitForFunction((n) => document.querySelector('#actions-summary')?.dataset.count === String(n), byCategory.items.length);
    assert.deepEqual(await rowIds('#actions-table'), byCategory.items.map((a) => a.id));
    assert.ok(byCategory.items.length < all, 'a category filter narrows the list');

    await page.selectOption('#filter-category', '');
    await page.waitForFunction((n) => document.querySelector('#actions-summary')?.dataset.count === String(n), all);
    // The title's longest word: specific enough to narrow the list, still matching this action.
    const word = items[0].title.split(/\s+/).sort((a, b) => b.length - a.length)[0].replace(/[^\w-]/g, '');
    await Promise.all([
      page.waitForResponse((r) => r.url().includes(`q=${encodeURIComponent(word)}`)),
      page.fill('#action-search', word),
    ]);
    const searched = await api.get(`${t('/actions')}?q=${encodeURIComponent(word)}&sort=scoreImpact&order=desc&limit=1000`);
    await page.waitForFunction((n) => document.querySelector('#actions-summary')?.dataset.count === String(n), searched.items.length);
    assert.deepEqual(await rowIds('#actions-table'), searched.items.map((a) => a.id));
    assert.ok(searched.items.length < all && searched.items.length > 0, `search "${word}" narrows the list`);
  });

  it('exports exactly the rows shown as CSV', async () => {
    const shown = await rowIds('#actions-table');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-csv')]);
    const csv = fs.readFileSync(await download.path(), 'utf8').trim().split(/\r\n/);
    assert.equal(csv[0].split(',')[0], 'id');
    assert.deepEqual(csv.slice(1).map((line) => line.split(',')[0]), shown);
    await page.fill('#action-search', '');
  });

  it('changing a state updates the score on the page', async () => {
    const before = await api.get(t('/score'));
    const candidate = before.controls.find((c) => c.points < c.max && c.state === 'to_address'
                                          && (c.status === 'to_address' || c.status === 'partial'));
    assert.ok(candidate, 'the demo tenant has an open action');
    await goTo(page, `#/t/${tenant.id}/actions/${candidate.id}`);
    await page.waitForSelector('#header-score strong');
    assert.equal(await text('#header-score strong'), fmt.percent(before.score.percentage));
    await page.selectOption('#state-form select[name=state]', 'third_party');
    await page.fill('#state-form [name=comment]', 'Covered by the mail gateway vendor (browser test)');
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'PATCH'),
      page.click('#state-form button[type=submit]'),
    ]);
    assert.equal(response.status(), 200);
    const afterScore = await api.get(t('/score'));
    assert.ok(afterScore.score.current > before.score.current, 'third party earns the points');
    const expected = fmt.percent(afterScore.score.percentage);
    await page.waitForFunction((v) => document.querySelector('#header-score strong')?.textContent === v, expected);
    await page.waitForFunction(() => document.querySelector('#action-state')?.textContent === 'Third party');
    await goTo(page, `#/t/${tenant.id}/overview`);
    assert.equal(await text('#score-percentage'), expected);
  });
});

describe('fleet', () => {
  it('sorts by score, both ways, and by name', async () => {
    await goTo(page, '#/fleet');
    const scores = () => page.$$eval('#fleet-table td.score', (tds) => tds.map((td) => Number(td.dataset.value || -1)));
    await page.click('#fleet-table button[data-sort=score]'); // default is descending; this flips
    const ascending = await scores();
    assert.deepEqual(ascending, [...ascending].sort((a, b) => a - b));
    await page.click('#fleet-table button[data-sort=score]');
    const descending = await scores();
    assert.deepEqual(descending, [...descending].sort((a, b) => b - a));
    assert.notDeepEqual(ascending, descending, 'the demo tenants differ in score');
    await page.click('#fleet-table button[data-sort=name]');
    const names = await page.$$eval('#fleet-table tbody tr[data-id] td:nth-child(2) a', (as) => as.map((a) => a.textContent.toLowerCase()));
    assert.deepEqual(names, [...names].sort());
  });

  it('search narrows the fleet', async () => {
    const { tenants } = await api.get('/api/v1/tenants');
    const target = tenants[tenants.length - 1];
    const q = target.displayName.toLowerCase();
    const expected = tenants.filter((x) => `${x.displayName} ${x.id} ${x.industry}`.toLowerCase().includes(q))
      .map((x) => x.id).sort();
    assert.ok(expected.length < tenants.length, 'a tenant name is specific');
    await page.fill('#fleet-search', target.displayName);
    await page.waitForFunction((n) => document.querySelectorAll('#fleet-table tbody tr[data-id]').length === n,
                               expected.length);
    assert.deepEqual((await rowIds('#fleet-table')).sort(), expected);
    await page.fill('#fleet-search', '');
  });
});

describe('a reader', () => {
  let reader;
  let readerToken;
  before(async () => {
    const created = await api.post('/api/v1/tokens', { role: 'reader', name: 'browser test reader' });
    readerToken = created.token;
    reader = await openPage(browser);
    await reader.goto(`${server.origin}/#token=${encodeURIComponent(readerToken)}`);
    await reader.waitForSelector('.page[data-ready="true"]');
  });
  after(async () => reader?.context().close());

  it('sees no editing controls', async () => {
    assert.equal(await reader.textContent('#role-badge'), 'reader');
    const { items } = await server.api(readerToken).get(`${t('/actions')}?limit=1`);
    await goTo(reader, `#/t/${tenant.id}/actions`);
    assert.equal(await reader.$$eval('#actions-table input[type=checkbox]', (x) => x.length), 0);
    assert.ok(await reader.isHidden('#bulk-bar'));
    await goTo(reader, `#/t/${tenant.id}/actions/${items[0].id}`);
    assert.equal(await reader.$('#state-form'), null);
    assert.equal(await reader.$('.owner-form'), null);
    await goTo(reader, `#/t/${tenant.id}/whatif`);
    assert.equal(await reader.$('#save-planned'), null);
    await goTo(reader, '#/settings');
    assert.equal(await reader.$('#goal-form'), null);
    assert.equal(await reader.$('#token-form'), null);
    assert.equal(await reader.$('#alert-form'), null);
  });

  it('is refused by the server when forcing a change', async () => {
    const { items } = await server.api(readerToken).get(`${t('/actions')}?limit=1`);
    const status = await reader.evaluate(async ({ path, token }) => {
      const r = await fetch(path, { method: 'PATCH', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
                                    body: JSON.stringify({ state: 'risk_accepted', comment: 'forced' }) });
      return r.status;
    }, { path: t(`/actions/${encodeURIComponent(items[0].id)}`), token: readerToken });
    assert.equal(status, 403);
  });
});

describe('screenshots', () => {
  const pages = ['overview', 'actions', 'detail', 'history', 'trends', 'whatif', 'fleet', 'settings'];
  for (const [theme, width, height] of [['light', 1366, 900], ['dark', 1366, 900], ['light', 390, 844]]) {
    it(`of every page, ${theme}, ${width}px`, async () => {
      const shot = await openPage(browser, { width, height, theme });
      await shot.goto(server.url);
      await shot.waitForSelector('.page[data-ready="true"]');
      const { items } = await api.get(`${t('/actions')}?sort=scoreImpact&order=desc&limit=1`);
      for (const name of pages) {
        const hash = name === 'fleet' || name === 'settings' ? `#/${name}`
          : name === 'detail' ? `#/t/${tenant.id}/actions/${items[0].id}` : `#/t/${tenant.id}/${name}`;
        await goTo(shot, hash);
        await shot.waitForFunction(() => document.fonts.status === 'loaded');
        const file = await screenshot(shot, `${name}-${theme}-${width}`);
        assert.ok(fs.statSync(file).size > 0);
        if (name === 'trends') {
          // The comparison trend alone, large enough to judge its lines and legend.
          const card = path.join(config.output, 'screenshots', `trends-comparison-${theme}-${width}.png`);
          await shot.locator('#comparison-trend').screenshot({ path: card });
          assert.ok(fs.statSync(card).size > 0);
        }
        const overflow = await shot.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 0, `${name} at ${width}px overflows by ${overflow}px`);
      }
      assert.deepEqual(shot.errors, [], 'no console errors or page exceptions');
      await shot.context().close();
    });
  }
});

// Last: stops the server under an open dashboard.
describe('when the server goes away', () => {
  it('says the server is unreachable and offers a retry', async () => {
    await goTo(page, `#/t/${tenant.id}/overview`);
    await server.stop();
    await page.evaluate((h) => (location.hash = h), `#/t/${tenant.id}/history`);
    await page.waitForSelector('.error-state');
    assert.match(await text('.error-state'), /Server unreachable/);
    assert.ok(await page.isVisible('.error-state button'), 'a Retry button');
  });
});
