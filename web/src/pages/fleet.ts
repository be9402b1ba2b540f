// Fleet: every tenant in scope with its score, 30-day sparkline, change, regressions, weakest
// category and goal; sortable and searchable; and one state decision applied to many tenants.
import type { Ctx } from '../app';
import { sparkline } from '../charts';
import { card, clear, debounce, emptyState, field, h, select } from '../dom';
import { percent, signed } from '../format';
import type { ActionList, Tenant } from '../types';
import { stateForm } from './state-form';

type SortKey = 'name' | 'score' | 'change' | 'regressions' | 'goal';

const COLUMNS: { key: SortKey | null; label: string; num?: boolean; phone?: boolean }[] = [
  { key: 'name', label: 'Tenant' },
  { key: 'score', label: 'Score', num: true },
  { key: null, label: '30 days', phone: false },
  { key: 'change', label: 'Change', num: true },
  { key: 'regressions', label: 'Regressions', num: true, phone: false },
  { key: null, label: 'Worst category', phone: false },
  { key: 'goal', label: 'Goal', phone: false },
];

function sortValue(t: Tenant, key: SortKey): string | number {
  switch (key) {
    case 'name': return t.displayName.toLowerCase();
    case 'score': return t.score?.percentage ?? -1;
    case 'change': return t.change30d ?? -Infinity;
    case 'regressions': return t.regressions;
    case 'goal': return t.goal?.status ?? '';
  }
}

export async function renderFleet(ctx: Ctx, el: HTMLElement): Promise<void> {
  clear(el);
  el.append(h('div', { class: 'page-head' }, h('h1', null, 'Fleet'),
    h('p', { class: 'muted' }, `${ctx.tenants.length} tenants in your scope.`)));
  if (ctx.tenants.length === 0) {
    el.append(emptyState('No tenants yet', 'Add one with `securescore tenant add`, or start `securescore serve --demo`.'));
    return;
  }
  let sortKey: SortKey = 'score';
  let ascending = false;
  const selected = new Set<string>();
  const search = h('input', { type: 'search', id: 'fleet-search', placeholder: 'Search name, industry…', autocomplete: 'off' });
  const thead = h('thead');
  const tbody = h('tbody');
  const count = h('p', { class: 'summary', id: 'fleet-summary' });
  const fleetWide = ctx.canEdit && ctx.me.tenant === null;
  search.addEventListener('input', debounce(() => draw(), 150));

  el.append(card(null, h('div', { class: 'toolbar' }, field('Search', search)), count,
    h('div', { class: 'table-wrap' }, h('table', { class: 'table', id: 'fleet-table' }, thead, tbody))));
  if (fleetWide) el.append(await decisionCard(ctx, selected));

  function drawHead(): void {
    clear(thead);
    const row = h('tr', null, fleetWide ? h('th', { scope: 'col', class: 'check' }, h('span', { class: 'sr-only' }, 'Select')) : null);
    for (const c of COLUMNS) {
      const cls = [c.num ? 'num' : '', c.phone === false ? 'hide-phone' : ''].join(' ').trim();
      if (!c.key) {
        row.append(h('th', { scope: 'col', class: cls }, c.label));
        continue;
      }
      const key = c.key;
      const active = sortKey === key;
      row.append(h('th', { scope: 'col', class: cls, 'aria-sort': active ? (ascending ? 'ascending' : 'descending') : 'none' },
        h('button', { type: 'button', class: 'sort', 'data-sort': key, onclick: (() => {
          if (sortKey === key) ascending = !ascending;
          else {
            sortKey = key;
            ascending = key === 'name';
          }
          draw();
        }) as EventListener }, c.label, h('span', { class: 'sort-mark', 'aria-hidden': 'true' }, active ? (ascending ? ' ▲' : ' ▼') : ''))));
    }
    thead.append(row);
  }

  function draw(): void {
    drawHead();
    const q = search.value.trim().toLowerCase();
    const rows = ctx.tenants
      .filter((t) => !q || `${t.displayName} ${t.id} ${t.industry}`.toLowerCase().includes(q))
      .sort((a, b) => {
        const x = sortValue(a, sortKey);
        const y = sortValue(b, sortKey);
        const order = x < y ? -1 : x > y ? 1 : 0;
        return ascending ? order : -order;
      });
    count.textContent = `${rows.length} of ${ctx.tenants.length} tenants`;
    clear(tbody);
    if (rows.length === 0) tbody.append(h('tr', null, h('td', { colspan: '8', class: 'empty-row' }, 'No tenant matches.')));
    for (const t of rows) {
      const box = h('input', { type: 'checkbox', 'aria-label': `Select ${t.displayName}` });
      box.checked = selected.has(t.id);
      box.addEventListener('change', () => (box.checked ? selected.add(t.id) : selected.delete(t.id)));
      const change = t.change30d;
      tbody.append(h('tr', { 'data-id': t.id },
        fleetWide ? h('td', { class: 'check' }, box) : null,
        h('td', null, h('a', { href: ctx.href('overview', null, t.id) }, t.displayName),
          h('div', { class: 'sub' }, `${t.industry || '–'} · ${t.seats.toLocaleString('en-US')} seats`)),
        h('td', { class: 'num score', 'data-value': t.score?.percentage ?? '' }, t.score ? percent(t.score.percentage, 2) : 'not evaluated'),
        h('td', { class: 'hide-phone' }, sparkline(t.sparkline, `${t.displayName}: last 30 days`)),
        h('td', { class: `num ${change === null ? '' : change >= 0 ? 'up' : 'down'}` }, change === null ? '–' : signed(change, ' pts')),
        h('td', { class: `num hide-phone ${t.regressions > 0 ? 'down' : ''}` }, String(t.regressions)),
        h('td', { class: 'hide-phone' }, t.worstCategory ?? '–'),
        h('td', { class: 'hide-phone' }, t.goal
          ? h('span', { class: `chip goal-${t.goal.status}` }, `${t.goal.status.replace(/_/g, ' ')} · ${t.goal.target}%`)
          : h('span', { class: 'muted' }, 'no goal'))));
    }
  }
  draw();
}

// One decision (say, "third party: covered by our mail gateway") for chosen actions across
// chosen tenants: POST /api/v1/actions/bulk.
async function decisionCard(ctx: Ctx, selected: Set<string>): Promise<HTMLElement> {
  const sample = ctx.tenants[0];
  const actions = await ctx.api.get<ActionList>(`/api/v1/tenants/${encodeURIComponent(sample.id)}/actions`, { limit: 1000 });
  const control = select(actions.items.map((a) => ({ value: a.id, label: a.title }))
    .sort((a, b) => a.label.localeCompare(b.label)), '', { id: 'fleet-control' });
  const scope = select([{ value: 'selected', label: 'Ticked tenants' }, { value: 'all', label: 'All tenants' }], 'selected', { id: 'fleet-scope' });
  const form = stateForm({
    compact: true,
    submitLabel: 'Apply across tenants',
    onSubmit: async (change) => {
      if (scope.value === 'selected' && selected.size === 0) throw new Error('Tick at least one tenant first.');
      const result = await ctx.api.post<{ updated: number }>('/api/v1/actions/bulk', {
        tenants: scope.value === 'all' ? 'all' : [...selected], controls: [control.value],
        state: change.state, comment: change.comment,
        ...(change.expiresAt ? { expiresAt: change.expiresAt } : {}),
      });
      ctx.notify(`Updated ${result.updated} tenant actions`);
      await ctx.refreshTenant();
      ctx.reload();
    },
  });
  form.prepend(field('Action', control), field('Apply to', scope));
  return card('One decision across tenants', h('p', { class: 'muted' },
    'Set the same state for one action in many tenants, e.g. mail filtering provided by a third party.'), form);
}
