// Overview: the score (official, measured, planned), points by category, comparison with similar
// organisations, history with goal and zones, the actions worth most, and what was not assessed.
import { tenantPath, type Ctx } from '../app';
import { barChart, cssVar, lineChart, type Series } from '../charts';
import { card, clear, emptyState, h } from '../dom';
import {
  BASIS_LABELS, DEFAULT_ZONES, STATUS_LABELS, ZONE_LABELS, daysAgo, isoDay, label, percent, points, signed, zoneOf,
} from '../format';
import { normalizeCompare, normalizeHistory } from '../normalize';
import type { ActionList, Compare, History, TenantScore } from '../types';

export async function renderOverview(ctx: Ctx, el: HTMLElement): Promise<void> {
  const [score, rawCompare, history, top] = await Promise.all([
    ctx.api.get<TenantScore>(tenantPath(ctx, '/score')),
    ctx.api.get<Compare>(tenantPath(ctx, '/compare')),
    ctx.api.get<History>(tenantPath(ctx, '/history'), { from: daysAgo(90), to: isoDay(new Date()) })
      .then((raw) => normalizeHistory(raw, new Map())),
    ctx.api.get<ActionList>(tenantPath(ctx, '/actions'),
                            { sort: 'scoreImpact', order: 'desc', limit: 8 }),
  ]);
  const compare = normalizeCompare(rawCompare);
  // Charts are drawn once their canvases are in the document (Chart.js measures them).
  const draws: (() => void)[] = [];
  clear(el);
  el.append(h('div', { class: 'page-head' },
    h('h1', null, 'Overview'),
    h('p', { class: 'muted' }, `${ctx.tenant!.displayName} · evaluated ${score.evaluatedAt?.replace('T', ' ').slice(0, 16) ?? '–'} UTC`)));

  const s = score.score;
  const zones = score.zones ?? DEFAULT_ZONES;
  const zone = zoneOf(s.percentage, zones);
  const goal = score.goal;
  el.append(h('div', { class: 'grid hero' },
    card(null,
      h('div', { class: 'score-hero' },
        h('div', { class: 'label' }, 'Secure Score'),
        h('div', { class: `score-big zone-text-${zone}`, id: 'score-percentage',
                   'data-value': s.percentage }, percent(s.percentage, 2)),
        h('div', { class: 'score-points', id: 'score-points' },
          h('strong', null, points(s.current)), ` / ${points(s.max)} points achieved`),
        h('div', { class: 'meter', role: 'img', 'aria-label': `${percent(s.percentage, 2)} of the maximum` },
          barFill(s.percentage, `zone-bg-${zone}`)),
        h('div', { class: 'chips' },
          h('span', { class: `chip zone-${zone}` }, ZONE_LABELS[zone]),
          goal ? h('span', { class: 'chip' }, `Goal ${percent(goal.target, 0)} by ${goal.by.slice(0, 10)}`)
               : h('span', { class: 'chip muted' }, 'No goal set')),
        goal ? h('p', { class: 'sub' }, s.percentage >= goal.target ? 'Goal reached.'
          : `${(goal.target - s.percentage).toFixed(2)} percentage points to go.`) : null)),
    card('Beside the official score',
      h('dl', { class: 'figures' },
        figure('Official', percent(s.percentage, 2), 'with the states people set', 'official'),
        figure('Measured', percent(100 * s.measured / (s.max || 1), 2),
               `${points(s.measured)} pts · evidence alone, states ignored`, 'measured'),
        figure('Planned', percent(100 * s.planned / (s.max || 1), 2),
               `${points(s.planned)} pts · if every planned action were done`, 'planned'))),
    comparisonCard(compare)));

  // History with the goal line and zones.
  const days = history.daily;
  const historyCard = card('Score history (90 days)');
  historyCard.classList.add('fill');
  if (days.length === 0) {
    historyCard.append(emptyState('No history yet', 'History appears after the first evaluations are stored.'));
  } else {
    const canvas = h('canvas', { 'aria-label': 'Secure Score percentage over the last 90 days', role: 'img' });
    historyCard.append(h('div', { class: 'chart tall' }, canvas));
    const series: Series[] = [{ label: 'Secure Score', values: days.map((d) => d.percentage), colour: cssVar('--accent'), fill: true }];
    if (goal) series.push({ label: `Goal ${goal.target}%`, values: days.map(() => goal.target), colour: cssVar('--goal'), dashed: true });
    draws.push(() => lineChart(ctx.charts, canvas, days.map((d) => d.date.slice(5)), series,
                               { percent: true, zones }));
  }

  // Points by category.
  const categories = score.categories.filter((c) => c.max > 0);
  const catCanvas = h('canvas', { 'aria-label': 'Points achieved and remaining by category', role: 'img' });
  const catTable = h('table', { class: 'table compact', id: 'category-table' },
    h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Category'),
      h('th', { scope: 'col', class: 'num' }, 'Points'), h('th', { scope: 'col', class: 'num' }, '%'))),
    h('tbody', null, score.categories.map((c) => h('tr', { 'data-category': c.name },
      h('th', { scope: 'row' }, c.name),
      h('td', { class: 'num' }, c.max > 0 ? `${points(c.current)} / ${points(c.max)}` : 'not scored'),
      h('td', { class: 'num' }, c.max > 0 ? percent(c.percentage) : '–')))));
  el.append(h('div', { class: 'grid two' },
    historyCard,
    card('Points by category', h('div', { class: 'chart' }, catCanvas), catTable)));
  draws.push(() => barChart(ctx.charts, catCanvas, categories.map((c) => c.name), [
    { label: 'Achieved', values: categories.map((c) => c.current), colour: cssVar('--accent') },
    { label: 'Remaining', values: categories.map((c) => c.max - c.current), colour: cssVar('--track') },
  ], { horizontal: true, stacked: true }));

  // Top actions and coverage.
  const open = top.items.filter((a) => a.scoreImpact > 0).slice(0, 5);
  const topCard = card('Top actions by score impact');
  if (open.length === 0) {
    topCard.append(emptyState('Nothing left to do', 'Every assessed action earns its full points.'));
  } else {
    topCard.append(h('table', { class: 'table', id: 'top-actions' },
      h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Action'),
        h('th', { scope: 'col', class: 'num' }, 'Score impact'), h('th', { scope: 'col', class: 'num hide-phone' }, 'Points'))),
      h('tbody', null, open.map((a) => h('tr', { 'data-id': a.id },
        h('td', null, h('a', { href: ctx.href('actions', a.id) }, a.title),
          h('div', { class: 'sub' }, `${a.category} · ${a.service}`)),
        h('td', { class: 'num impact' }, signed(a.scoreImpact, '%')),
        h('td', { class: 'num hide-phone' }, `${points(a.points)} / ${points(a.max)}`))))),
      h('a', { class: 'more', href: ctx.href('actions') }, 'All recommended actions →'));
  }

  const notAssessed = score.controls.filter((c) => c.status === 'no_data' || c.status === 'error' || c.status === 'not_applicable');
  const cov = score.coverage;
  const coverageCard = card('Coverage',
    h('dl', { class: 'figures row', id: 'coverage' },
      figure('Assessed', String(cov.assessed), null, 'assessed'),
      figure('Not applicable', String(cov.notApplicable), null, 'notApplicable'),
      figure('No data', String(cov.noData), null, 'noData'),
      figure('Errors', String(cov.errors), null, 'errors')));
  if (notAssessed.length > 0) {
    coverageCard.append(h('details', { class: 'not-assessed', open: true },
      h('summary', null, `${notAssessed.length} control${notAssessed.length === 1 ? '' : 's'} not assessed, and why`),
      h('ul', { class: 'plain' }, notAssessed.map((c) => h('li', null,
        h('a', { href: ctx.href('actions', c.id) }, c.title), ' ',
        h('span', { class: `chip status-${c.status}` }, label(STATUS_LABELS, c.status)),
        h('div', { class: 'sub' }, c.error ? `Query failed: ${c.error}`
          : c.missingTables?.length ? `Evidence not collected: ${c.missingTables.join(', ')}`
          : c.status === 'not_applicable' ? 'Nothing to assess in this tenant (excluded from the maximum).'
          : 'The evidence this control needs was not in the snapshot.'))))));
  }
  el.append(h('div', { class: 'grid two' }, topCard, coverageCard));
  for (const draw of draws) draw();
}

function figure(term: string, value: string, note: string | null, key: string): HTMLElement {
  return h('div', { class: 'figure', 'data-figure': key }, h('dt', null, term),
           h('dd', null, h('span', { class: 'value' }, value), note ? h('small', null, note) : null));
}

function barFill(pct: number, cls: string): HTMLElement {
  const fill = h('span', { class: `fill ${cls}` });
  fill.style.width = `${Math.max(0, Math.min(100, pct))}%`;
  return fill;
}

function comparisonCard(compare: Compare): HTMLElement {
  const rows = compare.bases.map((b) => {
    const name = `${BASIS_LABELS[b.basis] ?? b.basis}${b.basisValue && b.basis !== 'AllTenants' ? ` (${b.basisValue})` : ''}`;
    if (b.withheld || b.averageScore === null) {
      return h('tr', { 'data-basis': b.basis }, h('th', { scope: 'row' }, name),
        h('td', { class: 'num withheld', colspan: '2' }, 'withheld',
          h('div', { class: 'sub' }, 'fewer than 3 other tenants')));
    }
    const diff = compare.percentage - b.averageScore;
    return h('tr', { 'data-basis': b.basis }, h('th', { scope: 'row' }, name,
        h('div', { class: 'sub' }, `${b.tenantCount} tenants`)),
      h('td', { class: 'num' }, percent(b.averageScore, 2)),
      h('td', { class: `num ${diff >= 0 ? 'up' : 'down'}` }, signed(diff, ' pts')));
  });
  return card('Compared with similar organisations',
    h('table', { class: 'table compact', id: 'comparison' },
      h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Basis'),
        h('th', { scope: 'col', class: 'num' }, 'Average'), h('th', { scope: 'col', class: 'num' }, 'You vs avg'))),
      h('tbody', null, rows)));
}
