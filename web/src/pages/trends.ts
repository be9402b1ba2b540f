// Metrics & trends: where the score sits among the zones, what regressed, how much risk has been
// accepted over time, how the tenant compares over time, and points gained against points lost.
import { tenantPath, type Ctx } from '../app';
import { cssVar, lineChart } from '../charts';
import { card, clear, emptyState, h } from '../dom';
import { ZONE_LABELS, points, signed } from '../format';
import { normalizeTrends } from '../normalize';
import type { Trends } from '../types';

export async function renderTrends(ctx: Ctx, el: HTMLElement): Promise<void> {
  const t = normalizeTrends(await ctx.api.get<Partial<Trends>>(tenantPath(ctx, '/trends')));
  clear(el);
  el.append(h('div', { class: 'page-head' }, h('h1', null, 'Metrics & trends'),
    h('p', { class: 'muted' }, 'The last 90 days.')));
  const net = t.pointsGained - t.pointsLost;
  el.append(h('div', { class: 'grid four', id: 'trend-figures' },
    card(null, h('div', { class: 'stat', 'data-stat': 'zone' }, h('div', { class: 'label' }, 'Score zone'),
      t.zone ? h('span', { class: `chip big zone-${t.zone}` }, ZONE_LABELS[t.zone] ?? t.zone)
             : h('span', { class: 'chip big' }, 'No zones set'))),
    card(null, h('div', { class: 'stat', 'data-stat': 'regressions' }, h('div', { class: 'label' }, 'Regressions'),
      h('div', { class: 'value' }, String(t.regressions.length)))),
    card(null, h('div', { class: 'stat', 'data-stat': 'gained' }, h('div', { class: 'label' }, 'Points gained'),
      h('div', { class: 'value up' }, `+${points(t.pointsGained)}`))),
    card(null, h('div', { class: 'stat', 'data-stat': 'lost' }, h('div', { class: 'label' }, 'Points lost'),
      h('div', { class: 'value down' }, `−${points(t.pointsLost)}`),
      h('div', { class: 'sub' }, `net ${signed(net)}`)))));

  const riskCanvas = h('canvas', { role: 'img', 'aria-label': 'Risk-accepted actions over time' });
  const compareCanvas = h('canvas', { role: 'img', 'aria-label': 'This tenant against the all-tenant average' });
  el.append(h('div', { class: 'grid two' },
    card('Compared with all tenants', t.comparison.length
      ? h('div', { class: 'chart' }, compareCanvas) : emptyState('No comparison yet', 'Needs stored scores of other tenants.')),
    card('Risk acceptance', t.riskAcceptance.length
      ? h('div', { class: 'chart' }, riskCanvas) : emptyState('No risk accepted', 'No action is marked as risk accepted.'))));

  el.append(card(`Regressions (${t.regressions.length})`, t.regressions.length === 0
    ? h('p', { class: 'muted' }, 'No action lost points in this period.')
    : h('div', { class: 'table-wrap' }, h('table', { class: 'table', id: 'regressions-table' },
      h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Date'), h('th', { scope: 'col' }, 'Action'),
        h('th', { scope: 'col', class: 'num' }, 'Points'))),
      h('tbody', null, [...t.regressions].sort((a, b) => b.date.localeCompare(a.date)).map((r) =>
        h('tr', null, h('td', { class: 'nowrap' }, r.date.slice(0, 10)),
          h('td', null, h('a', { href: ctx.href('actions', r.control) }, r.title || r.control)),
          h('td', { class: 'num down' }, signed(r.delta)))))))));

  if (t.comparison.length) {
    lineChart(ctx.charts, compareCanvas, t.comparison.map((c) => c.date.slice(5, 10)), [
      { label: ctx.tenant!.displayName, values: t.comparison.map((c) => c.percentage), colour: cssVar('--accent') },
      { label: 'All tenants', values: t.comparison.map((c) => c.allTenants), colour: cssVar('--muted'), dashed: true },
    ], { percent: true });
  }
  if (t.riskAcceptance.length) {
    lineChart(ctx.charts, riskCanvas, t.riskAcceptance.map((r) => r.date.slice(5, 10)), [
      { label: 'Points set aside', values: t.riskAcceptance.map((r) => r.points), colour: cssVar('--warn'), fill: true },
      { label: 'Actions', values: t.riskAcceptance.map((r) => r.count), colour: cssVar('--muted') },
    ], { yMin: 0 });
  }
}
