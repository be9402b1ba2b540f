// History: the score over a chosen range and every change in it (which action, how many points,
// and why: new evidence, a state someone set, or a catalog change).
import { tenantPath, type Ctx } from '../app';
import { cssVar, lineChart } from '../charts';
import { button, card, clear, emptyState, field, h } from '../dom';
import { daysAgo, isoDay, percent, points, signed } from '../format';
import { normalizeHistory } from '../normalize';
import type { ActionList, History } from '../types';

const CAUSES: Record<string, string> = {
  evidence: 'New evidence',
  state: 'State changed',
  catalog: 'Catalog changed',
};

export async function renderHistory(ctx: Ctx, el: HTMLElement): Promise<void> {
  const actions = await ctx.api.get<ActionList>(tenantPath(ctx, '/actions'), { limit: 1000 });
  const titles = new Map(actions.items.map((a) => [a.id, a.title]));
  const from = h('input', { type: 'date', id: 'history-from', value: daysAgo(90) });
  const to = h('input', { type: 'date', id: 'history-to', value: isoDay(new Date()) });
  const body = h('div', { class: 'stack' });
  const preset = (days: number) => button(`${days} days`, () => {
    from.value = daysAgo(days);
    to.value = isoDay(new Date());
    void load();
  }, { 'data-days': days });
  clear(el);
  el.append(h('div', { class: 'page-head' }, h('h1', null, 'History'),
    h('p', { class: 'muted' }, 'How the score moved, and which actions moved it.')),
    card(null, h('form', { class: 'toolbar range', onsubmit: ((e: Event) => {
      e.preventDefault();
      void load();
    }) as EventListener },
      field('From', from), field('To', to),
      h('div', { class: 'field' }, h('span', { class: 'label-spacer' }, ' '),
        h('button', { type: 'submit', class: 'btn primary' }, 'Show')),
      h('div', { class: 'presets' }, preset(30), preset(90), preset(180), preset(365)))),
    body);

  async function load(): Promise<void> {
    ctx.charts.destroyAll();
    const history = normalizeHistory(
      await ctx.api.get<History>(tenantPath(ctx, '/history'), { from: from.value, to: to.value }), titles);
    clear(body);
    const days = history.daily;
    if (days.length === 0) {
      body.append(emptyState('No scores in this range', 'Choose a wider range, or wait for the first evaluation.'));
      return;
    }
    const first = days[0];
    const last = days[days.length - 1];
    const canvas = h('canvas', { role: 'img', 'aria-label': 'Secure Score over the chosen range' });
    body.append(card(null,
      h('div', { class: 'range-summary', id: 'history-summary' },
        h('div', null, h('div', { class: 'label' }, first.date), h('strong', null, percent(first.percentage, 2))),
        h('div', { class: 'arrow', 'aria-hidden': 'true' }, '→'),
        h('div', null, h('div', { class: 'label' }, last.date), h('strong', null, percent(last.percentage, 2))),
        h('div', { class: `delta ${last.percentage >= first.percentage ? 'up' : 'down'}` },
          signed(last.percentage - first.percentage, ' pts'))),
      h('div', { class: 'chart tall' }, canvas)));
    lineChart(ctx.charts, canvas, days.map((d) => d.date), [
      { label: 'Secure Score', values: days.map((d) => d.percentage), colour: cssVar('--accent'), fill: true },
    ], { percent: true });

    const changes = [...history.changes].sort((a, b) => b.date.localeCompare(a.date));
    body.append(card(`Changes (${changes.length})`, changes.length === 0
      ? h('p', { class: 'muted' }, 'No action changed its points in this range.')
      : h('div', { class: 'table-wrap' }, h('table', { class: 'table', id: 'changes-table' },
        h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Date'), h('th', { scope: 'col' }, 'Action'),
          h('th', { scope: 'col', class: 'num hide-phone' }, 'Points'), h('th', { scope: 'col', class: 'num' }, 'Change'),
          h('th', { scope: 'col' }, 'Why'))),
        h('tbody', null, changes.map((c) => h('tr', { 'data-control': c.control },
          h('td', { class: 'nowrap' }, c.date.slice(0, 10)),
          h('td', null, h('a', { href: ctx.href('actions', c.control) }, c.title || c.control)),
          h('td', { class: 'num nowrap hide-phone' }, `${points(c.from)} → ${points(c.to)}`),
          h('td', { class: `num ${c.delta >= 0 ? 'up' : 'down'}` }, signed(c.delta)),
          h('td', null, CAUSES[c.cause] ?? c.cause))))))));
  }
  await load();
}
