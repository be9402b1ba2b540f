// One action: what it protects against, how to fix it, who it affects, which entities fail and
// why, its points and state history, and (for operators) its state, notes, tags and assignee.
import { tenantPath, type Ctx, type Route } from '../app';
import { cssVar, lineChart } from '../charts';
import { download, toCsv } from '../csv';
import { card, clear, debounce, emptyState, field, h } from '../dom';
import { describe } from '../errors';
import { STATE_LABELS, STATUS_LABELS, dateTime, label, points, signed } from '../format';
import type { ActionDetail } from '../types';
import { stateForm } from './state-form';

export async function renderActionDetail(ctx: Ctx, el: HTMLElement, route: Route): Promise<void> {
  const path = tenantPath(ctx, `/actions/${encodeURIComponent(route.sub!)}`);
  const a = await ctx.api.get<ActionDetail>(path);
  clear(el);
  el.append(h('a', { class: 'back', href: ctx.href('actions') }, '← Recommended actions'),
    h('div', { class: 'page-head detail-head' },
      h('h1', null, a.title),
      h('p', { class: 'muted' }, h('code', null, a.id), ` · ${a.category} · ${a.service} · ${a.tier || 'core'}`)));

  el.append(h('div', { class: 'grid four', id: 'action-figures' },
    card(null, stat('Points', `${points(a.points)} / ${points(a.max)}`, 'points')),
    card(null, stat('Score impact', a.scoreImpact > 0 ? signed(a.scoreImpact, '%') : '–', 'impact')),
    card(null, h('div', { class: 'stat' }, h('div', { class: 'label' }, 'Status'),
      h('span', { class: `chip status-${a.status}`, id: 'action-status' }, label(STATUS_LABELS, a.status)),
      a.total > 0 ? h('div', { class: 'sub' }, `${a.count} of ${a.total} compliant`) : null)),
    card(null, h('div', { class: 'stat' }, h('div', { class: 'label' }, 'State'),
      h('span', { class: `chip state-${a.state}`, id: 'action-state' }, label(STATE_LABELS, a.state)),
      a.expiresAt ? h('div', { class: 'sub' }, `until ${a.expiresAt.slice(0, 10)}`) : null))));

  const threats = Array.isArray(a.threats) ? a.threats : [];
  const frameworks = Array.isArray(a.frameworks) ? a.frameworks
    : Object.entries(a.frameworks ?? {}).flatMap(([k, v]) => v.map((id) => `${k} ${id}`));
  const left = h('div', { class: 'stack' },
    card('What it protects against',
      a.description ? h('p', null, a.description) : null,
      threats.length ? h('div', { class: 'chips' }, threats.map((t) => h('span', { class: 'chip' }, t))) : null,
      frameworks.length ? h('p', { class: 'sub' }, `Frameworks: ${frameworks.join(', ')}`) : null),
    card('How to fix it',
      a.remediation ? h('p', null, a.remediation) : null,
      a.portal ? h('div', null, h('h3', null, 'In the portal'), h('p', { class: 'portal' }, a.portal)) : null,
      a.powershell ? h('div', null, h('h3', null, 'PowerShell / Graph'),
                       h('pre', { tabindex: '0' }, h('code', null, a.powershell))) : null),
    card('User impact',
      h('p', null, h('strong', null, a.userImpact || 'Unknown'), ` · implementation cost ${a.implementationCost || 'unknown'}`),
      a.userNotice ? h('p', null, a.userNotice) : null),
    failingCard(a));

  const historyCanvas = h('canvas', { role: 'img', 'aria-label': 'Points of this action over time' });
  const right = h('div', { class: 'stack' });
  if (ctx.canEdit) right.append(editCard(ctx, a, path));
  else right.append(card('Notes and ownership', ownership(a)));
  right.append(
    card('Points history', a.pointsHistory.length > 1
      ? h('div', { class: 'chart' }, historyCanvas)
      : emptyState('Not enough history', 'Points appear here after two evaluations.')),
    card('State history', a.stateHistory.length === 0
      ? h('p', { class: 'muted' }, 'No state changes yet.')
      : h('ol', { class: 'timeline', id: 'state-history' }, [...a.stateHistory].reverse().map((s) =>
        h('li', null, h('div', null, h('strong', null, `${label(STATE_LABELS, s.from)} → ${label(STATE_LABELS, s.to)}`)),
          h('div', { class: 'sub' }, `${dateTime(s.at)} · ${s.by}`),
          s.comment ? h('p', null, s.comment) : null)))));
  el.append(h('div', { class: 'grid detail' }, left, right));
  if (a.pointsHistory.length > 1) {
    lineChart(ctx.charts, historyCanvas, a.pointsHistory.map((p) => p.date.slice(5)), [
      { label: 'Points', values: a.pointsHistory.map((p) => p.points), colour: cssVar('--accent'), fill: true },
      { label: 'Max', values: a.pointsHistory.map((p) => p.max), colour: cssVar('--muted'), dashed: true },
    ], { yMin: 0 });
  }
}

function stat(name: string, value: string, key: string): HTMLElement {
  return h('div', { class: 'stat', 'data-stat': key }, h('div', { class: 'label' }, name),
           h('div', { class: 'value' }, value));
}

function ownership(a: ActionDetail): HTMLElement {
  return h('dl', { class: 'kv' },
    h('dt', null, 'Assignee'), h('dd', null, a.assignee || '–'),
    h('dt', null, 'Tags'), h('dd', null, a.tags?.length ? a.tags.join(', ') : '–'),
    h('dt', null, 'Notes'), h('dd', null, a.comment || '–'));
}

function editCard(ctx: Ctx, a: ActionDetail, path: string): HTMLElement {
  const form = stateForm({
    initial: a.state,
    submitLabel: 'Change state',
    onSubmit: async (change) => {
      await ctx.api.patch(path, { state: change.state, comment: change.comment,
                                  ...(change.expiresAt ? { expiresAt: change.expiresAt } : {}) });
      ctx.notify(`State set to ${label(STATE_LABELS, change.state)}`);
      await ctx.refreshTenant();
      ctx.reload();
    },
  });
  form.id = 'state-form';
  const assignee = h('input', { value: a.assignee ?? '', autocomplete: 'off' });
  const tags = h('input', { value: (a.tags ?? []).join(', '), autocomplete: 'off' });
  const notes = h('textarea', { rows: '3' }, a.comment ?? '');
  const message = h('p', { class: 'form-message', role: 'alert' });
  const owner = h('form', { class: 'owner-form' },
    field('Assignee', assignee), field('Tags', tags, 'Comma-separated'), field('Notes', notes),
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'btn' }, 'Save notes')), message);
  owner.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      await ctx.api.patch(path, {
        assignee: assignee.value.trim(), comment: notes.value,
        tags: tags.value.split(',').map((t) => t.trim()).filter(Boolean),
      });
      message.textContent = '';
      ctx.notify('Saved');
    } catch (error) {
      const { title, text } = describe(error);
      message.textContent = `${title}: ${text}`;
    }
  });
  return card('Change state', form, h('h3', null, 'Ownership and notes'), owner);
}

function failingCard(a: ActionDetail): HTMLElement {
  const failing = a.failing ?? [];
  if (failing.length === 0) {
    return card('Failing entities', h('p', { class: 'muted' },
      a.status === 'completed' ? 'None: every assessed entity complies.' : 'No entities listed for this action.'),
      a.excepted?.length ? h('p', { class: 'sub' }, `${a.excepted.length} entities are under an exception.`) : null);
  }
  let shown = failing;
  const search = h('input', { type: 'search', placeholder: 'Filter by name or reason', autocomplete: 'off' });
  const count = h('span', { class: 'sub' });
  const tbody = h('tbody');
  const draw = () => {
    const q = search.value.trim().toLowerCase();
    shown = failing.filter((f) => !q || `${f.entityName} ${f.entityId} ${f.reason}`.toLowerCase().includes(q));
    clear(tbody);
    for (const f of shown.slice(0, 500)) {
      tbody.append(h('tr', null, h('td', null, f.entityName || f.entityId,
        h('div', { class: 'sub mono' }, f.entityId)), h('td', null, f.reason)));
    }
    count.textContent = `${shown.length} of ${failing.length}${shown.length > 500 ? ' (first 500 shown; export has all)' : ''}`;
  };
  search.addEventListener('input', debounce(draw, 150));
  draw();
  return card(`Failing entities (${failing.length})`,
    h('div', { class: 'table-head' }, field('Search entities', search), count,
      h('button', { type: 'button', class: 'btn', onclick: (() => download(`${a.id}-failing.csv`,
        toCsv(['entityId', 'entityName', 'reason'], shown.map((f) => [f.entityId, f.entityName, f.reason])))) as EventListener },
        'Export CSV')),
    h('div', { class: 'table-wrap scroll' }, h('table', { class: 'table compact', id: 'failing-table' },
      h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Entity'), h('th', { scope: 'col' }, 'Reason'))),
      tbody)));
}
