// Recommended actions: the filterable, sortable list (filters run on the server, so what is shown
// is what the API answers), CSV of the rows shown, and bulk state changes for operators.
import { tenantPath, type Ctx } from '../app';
import { download, toCsv } from '../csv';
import { button, card, clear, debounce, emptyState, field, h, select } from '../dom';
import { STATE_LABELS, STATUS_LABELS, label, points, signed } from '../format';
import type { ActionItem, ActionList } from '../types';
import { stateForm } from './state-form';

interface Filters {
  q: string;
  category: string;
  service: string;
  status: string;
  state: string;
  tag: string;
  regressed: boolean;
  sort: string;
  order: string;
}

// Remembered for the browser tab so going to an action and back keeps the view.
const remembered = new Map<string, Filters>();

const SORTS = [
  { value: 'scoreImpact', label: 'Score impact' },
  { value: 'points', label: 'Points' },
  { value: 'userImpact', label: 'User impact' },
  { value: 'implementationCost', label: 'Implementation cost' },
];

function options(values: string[], all: string, labels: Record<string, string> = {}) {
  return [{ value: '', label: all }, ...values.map((v) => ({ value: v, label: labels[v] ?? v }))];
}

function distinct(values: string[]): string[] {
  return [...new Set(values.filter(Boolean))].sort((a, b) => a.localeCompare(b));
}

export async function renderActions(ctx: Ctx, el: HTMLElement): Promise<void> {
  const all = await ctx.api.get<ActionList>(tenantPath(ctx, '/actions'), { limit: 1000 });
  const filters: Filters = remembered.get(ctx.tenant!.id) ?? {
    q: '', category: '', service: '', status: '', state: '', tag: '', regressed: false,
    sort: 'scoreImpact', order: 'desc',
  };
  remembered.set(ctx.tenant!.id, filters);
  const selected = new Set<string>();
  let shown: ActionItem[] = [];

  clear(el);
  el.append(h('div', { class: 'page-head' }, h('h1', null, 'Recommended actions'),
    h('p', { class: 'muted' }, 'What to change, in order of what it is worth.')));
  if (all.total === 0) {
    el.append(emptyState('No actions yet', 'This tenant has not been evaluated yet. Upload a snapshot or run `securescore assess`.'));
    return;
  }

  const search = h('input', { type: 'search', id: 'action-search', placeholder: 'Search title, id, service…',
                              value: filters.q, autocomplete: 'off' });
  const bind = (control: HTMLSelectElement, key: keyof Filters) => {
    control.addEventListener('change', () => {
      (filters as unknown as Record<string, string>)[key] = control.value;
      void load();
    });
    return control;
  };
  const category = bind(select(options(distinct(all.items.map((a) => a.category)), 'All categories'), filters.category, { id: 'filter-category' }), 'category');
  const service = bind(select(options(distinct(all.items.map((a) => a.service)), 'All services'), filters.service, { id: 'filter-service' }), 'service');
  const status = bind(select(options(Object.keys(STATUS_LABELS), 'Any status', STATUS_LABELS), filters.status, { id: 'filter-status' }), 'status');
  const state = bind(select(options(Object.keys(STATE_LABELS), 'Any state', STATE_LABELS), filters.state, { id: 'filter-state' }), 'state');
  const tag = bind(select(options(distinct(all.items.flatMap((a) => a.tags ?? [])), 'Any tag'), filters.tag, { id: 'filter-tag' }), 'tag');
  const sort = bind(select(SORTS, filters.sort, { id: 'sort' }), 'sort');
  const order = bind(select([{ value: 'desc', label: 'Highest first' }, { value: 'asc', label: 'Lowest first' }], filters.order, { id: 'order' }), 'order');
  const regressed = h('input', { type: 'checkbox', id: 'filter-regressed' });
  regressed.checked = filters.regressed;
  regressed.addEventListener('change', () => {
    filters.regressed = regressed.checked;
    void load();
  });
  search.addEventListener('input', debounce(() => {
    filters.q = search.value.trim();
    void load();
  }, 250));

  const summary = h('p', { class: 'summary', id: 'actions-summary', 'aria-live': 'polite' });
  const tbody = h('tbody');
  const selectAll = h('input', { type: 'checkbox', 'aria-label': 'Select all shown actions' });
  const exportButton = button('Export CSV', () => exportShown(), { id: 'export-csv' });
  const bulkBar = h('div', { class: 'bulk', id: 'bulk-bar', hidden: true });

  el.append(card(null,
    h('div', { class: 'toolbar' },
      field('Search', search),
      field('Category', category), field('Service', service), field('Status', status),
      field('State', state), field('Tag', tag),
      h('div', { class: 'field check' }, regressed, h('label', { for: 'filter-regressed' }, 'Regressed only')),
      field('Sort by', sort), field('Order', order)),
    h('div', { class: 'table-head' }, summary, h('div', { class: 'actions-right' }, exportButton)),
    bulkBar,
    h('div', { class: 'table-wrap' }, h('table', { class: 'table', id: 'actions-table' },
      h('thead', null, h('tr', null,
        ctx.canEdit ? h('th', { scope: 'col', class: 'check' }, selectAll) : null,
        h('th', { scope: 'col' }, 'Action'),
        h('th', { scope: 'col', class: 'num' }, 'Score impact'),
        h('th', { scope: 'col', class: 'num' }, 'Points'),
        h('th', { scope: 'col' }, 'Status'),
        h('th', { scope: 'col', class: 'hide-phone' }, 'State'),
        h('th', { scope: 'col', class: 'hide-phone' }, 'User impact'),
        h('th', { scope: 'col', class: 'hide-phone' }, 'Cost'))),
      tbody))));

  selectAll.addEventListener('change', () => {
    for (const a of shown) {
      if (selectAll.checked) selected.add(a.id);
      else selected.delete(a.id);
    }
    drawRows();
  });

  function drawBulk(): void {
    clear(bulkBar);
    bulkBar.hidden = !ctx.canEdit || selected.size === 0;
    if (bulkBar.hidden) return;
    bulkBar.append(h('strong', null, `${selected.size} selected`),
      stateForm({
        compact: true,
        submitLabel: 'Apply to selected',
        onSubmit: async (change) => {
          const result = await ctx.api.post<{ updated: number }>(tenantPath(ctx, '/actions/bulk'), {
            controls: [...selected], state: change.state, comment: change.comment,
            ...(change.expiresAt ? { expiresAt: change.expiresAt } : {}),
          });
          ctx.notify(`${result.updated} actions set to ${label(STATE_LABELS, change.state)}`);
          selected.clear();
          await ctx.refreshTenant();
          await load();
        },
      }));
  }

  function drawRows(): void {
    clear(tbody);
    if (shown.length === 0) {
      tbody.append(h('tr', null, h('td', { colspan: '8', class: 'empty-row' }, 'No action matches these filters.')));
    }
    for (const a of shown) {
      const box = h('input', { type: 'checkbox', 'aria-label': `Select ${a.title}` });
      box.checked = selected.has(a.id);
      box.addEventListener('change', () => {
        if (box.checked) selected.add(a.id);
        else selected.delete(a.id);
        drawBulk();
      });
      tbody.append(h('tr', { 'data-id': a.id },
        ctx.canEdit ? h('td', { class: 'check' }, box) : null,
        h('td', null, h('a', { href: ctx.href('actions', a.id) }, a.title),
          h('div', { class: 'sub' }, `${a.category} · ${a.service}`,
            a.regressed ? h('span', { class: 'chip down' }, 'regressed') : null,
            ...(a.tags ?? []).map((t) => h('span', { class: 'chip tag' }, t)))),
        h('td', { class: 'num impact' }, a.scoreImpact > 0 ? signed(a.scoreImpact, '%') : '–'),
        h('td', { class: 'num points' }, `${points(a.points)} / ${points(a.max)}`),
        h('td', null, h('span', { class: `chip status-${a.status}` }, label(STATUS_LABELS, a.status))),
        h('td', { class: 'hide-phone' }, h('span', { class: `chip state-${a.state}` }, label(STATE_LABELS, a.state))),
        h('td', { class: 'hide-phone' }, a.userImpact || '–'),
        h('td', { class: 'hide-phone' }, a.implementationCost || '–')));
    }
    const achieved = shown.reduce((sum, a) => sum + a.points, 0);
    const max = shown.reduce((sum, a) => sum + a.max, 0);
    summary.textContent = `${shown.length} of ${all.total} actions · ${points(achieved)} / ${points(max)} points achieved`;
    summary.dataset.count = String(shown.length);
    drawBulk();
  }

  function exportShown(): void {
    const header = ['id', 'title', 'category', 'service', 'status', 'state', 'points', 'max',
                    'scoreImpact', 'userImpact', 'implementationCost', 'regressed', 'tags'];
    const rows = shown.map((a) => [a.id, a.title, a.category, a.service, a.status, a.state,
      a.points.toFixed(2), a.max.toFixed(2), a.scoreImpact.toFixed(2), a.userImpact ?? '',
      a.implementationCost ?? '', a.regressed ? 'yes' : 'no', (a.tags ?? []).join(';')]);
    download(`${ctx.tenant!.id}-actions.csv`, toCsv(header, rows));
  }

  let requestNo = 0;
  async function load(): Promise<void> {
    const mine = ++requestNo;
    const list = await ctx.api.get<ActionList>(tenantPath(ctx, '/actions'), {
      q: filters.q, category: filters.category, service: filters.service, status: filters.status,
      state: filters.state, tag: filters.tag, regressed: filters.regressed ? 'true' : undefined,
      sort: filters.sort, order: filters.order, limit: 1000,
    }).catch((error) => {
      ctx.notify(`Could not load actions: ${error instanceof Error ? error.message : error}`, 'error');
      return null;
    });
    if (!list || mine !== requestNo) return;
    shown = list.items;
    for (const id of [...selected]) if (!shown.some((a) => a.id === id)) selected.delete(id);
    drawRows();
  }
  await load();
}
