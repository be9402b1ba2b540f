// What-if planner: tick actions, see the projected score and categories (computed by the server,
// so it follows the real scoring rules), and save the ticked set as "planned".
import { tenantPath, type Ctx } from '../app';
import { card, clear, debounce, emptyState, h } from '../dom';
import { describe } from '../errors';
import { percent, points, signed } from '../format';
import type { ActionList, WhatIf } from '../types';

export async function renderWhatIf(ctx: Ctx, el: HTMLElement): Promise<void> {
  const list = await ctx.api.get<ActionList>(tenantPath(ctx, '/actions'),
                                             { sort: 'scoreImpact', order: 'desc', limit: 1000 });
  const open = list.items.filter((a) => a.points < a.max && a.status !== 'not_applicable'
                                        && a.status !== 'no_data' && a.status !== 'error');
  const ticked = new Set(open.filter((a) => a.state === 'planned').map((a) => a.id));
  clear(el);
  el.append(h('div', { class: 'page-head' }, h('h1', null, 'What-if planner'),
    h('p', { class: 'muted' }, 'Tick the actions you would complete and see where the score would land.')));
  if (open.length === 0) {
    el.append(emptyState('Nothing to plan', 'Every assessed action already earns its full points.'));
    return;
  }
  const result = h('div', { class: 'whatif-result', id: 'whatif-result', 'aria-live': 'polite' });
  const saveMessage = h('p', { class: 'form-message', role: 'status' });
  const saveButton = h('button', { type: 'button', class: 'btn primary', id: 'save-planned' }, 'Save as planned');
  const rows = open.map((a) => {
    const box = h('input', { type: 'checkbox', id: `plan-${a.id}`, value: a.id });
    box.checked = ticked.has(a.id);
    box.addEventListener('change', () => {
      if (box.checked) ticked.add(a.id);
      else ticked.delete(a.id);
      void project();
    });
    return h('li', { class: 'plan-item' }, box,
      h('label', { for: `plan-${a.id}` }, h('span', null, a.title),
        h('span', { class: 'sub' }, `${a.category} · ${points(a.max - a.points)} pts · ${signed(a.scoreImpact, '%')}`)));
  });
  el.append(h('div', { class: 'grid detail' },
    card(`Open actions (${open.length})`, h('ul', { class: 'plan-list', id: 'plan-list' }, rows)),
    h('div', { class: 'stack sticky' }, card('Projected score', result,
      ctx.canEdit ? h('div', { class: 'form-actions' }, saveButton) : null, saveMessage))));

  saveButton.addEventListener('click', async () => {
    saveButton.disabled = true;
    try {
      await ctx.api.post<WhatIf>(tenantPath(ctx, '/whatif'), { controls: [...ticked], save: true });
      saveMessage.textContent = `${ticked.size} actions saved as planned.`;
      await ctx.refreshTenant();
    } catch (error) {
      const { title, text } = describe(error);
      saveMessage.textContent = `${title}: ${text}`;
    } finally {
      saveButton.disabled = false;
    }
  });

  let requestNo = 0;
  const project = debounce(async () => {
    const mine = ++requestNo;
    try {
      const w = await ctx.api.post<WhatIf>(tenantPath(ctx, '/whatif'), { controls: [...ticked] });
      if (mine === requestNo) drawResult(w);
    } catch (error) {
      const { title, text } = describe(error);
      clear(result);
      result.append(h('p', { class: 'form-message' }, `${title}: ${text}`));
    }
  }, 150);

  function drawResult(w: WhatIf): void {
    clear(result);
    result.append(
      h('div', { class: 'projection' },
        h('div', null, h('div', { class: 'label' }, 'Now'),
          h('div', { class: 'value', id: 'whatif-current' }, percent(w.percentage, 2)),
          h('div', { class: 'sub' }, `${points(w.current)} / ${points(w.max)}`)),
        h('div', { class: 'arrow', 'aria-hidden': 'true' }, '→'),
        h('div', null, h('div', { class: 'label' }, 'Projected'),
          h('div', { class: 'value up', id: 'whatif-projected', 'data-value': w.projectedPercentage },
            percent(w.projectedPercentage, 2)),
          h('div', { class: 'sub' }, `${points(w.projected)} / ${points(w.max)}`))),
      h('table', { class: 'table compact', id: 'whatif-categories' },
        h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Category'),
          h('th', { scope: 'col', class: 'num' }, 'Now'), h('th', { scope: 'col', class: 'num' }, 'Projected'),
          h('th', { scope: 'col', class: 'num' }, 'Max'))),
        h('tbody', null, w.categories.filter((c) => c.max > 0).map((c) => h('tr', null,
          h('th', { scope: 'row' }, c.name), h('td', { class: 'num' }, points(c.current)),
          h('td', { class: `num ${c.projected > c.current ? 'up' : ''}` }, points(c.projected)),
          h('td', { class: 'num' }, points(c.max)))))));
  }
  await project();
}
