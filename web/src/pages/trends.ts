// Metrics & trends: where the score sits among the zones, what regressed, how much risk has been
// accepted over time, how the tenant compares over time, and points gained against points lost.
import { tenantPath, type Ctx } from '../app';
import { cssVar, lineChart, type Series } from '../charts';
import { card, clear, emptyState, h } from '../dom';
import { BASIS_LABELS, ZONE_LABELS, daysAgo, isoDay, percent, points, signed } from '../format';
import { normalizeTrends } from '../normalize';
import type { ComparisonBasisDay, ComparisonDay, MicrosoftComparisonDay, Trends } from '../types';

// The range this page shows; the API's comparison covers the same days by default.
const DAYS = 90;

// Each basis keeps its colour in both themes (custom properties in style.css).
const BASIS_COLOURS: Record<string, string> = {
  AllTenants: '--muted',
  TotalSeats: '--compare-seats',
  IndustryTypes: '--compare-industry',
};

export async function renderTrends(ctx: Ctx, el: HTMLElement): Promise<void> {
  const range = { from: daysAgo(DAYS - 1), to: isoDay(new Date()) };
  const t = normalizeTrends(await ctx.api.get<Partial<Trends>>(tenantPath(ctx, '/trends'), range));
  clear(el);
  el.append(h('div', { class: 'page-head' }, h('h1', null, 'Metrics & trends'),
    h('p', { class: 'muted' }, `The last ${DAYS} days.`)));
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

  const comparison = comparisonCard(ctx, t.comparison, t.microsoftComparison);
  const riskCanvas = h('canvas', { role: 'img', 'aria-label': 'Risk-accepted actions over time' });
  el.append(comparison.element,
    card('Risk acceptance', t.riskAcceptance.length
      ? h('div', { class: 'chart' }, riskCanvas) : emptyState('No risk accepted', 'No action is marked as risk accepted.')));

  el.append(card(`Regressions (${t.regressions.length})`, t.regressions.length === 0
    ? h('p', { class: 'muted' }, 'No action lost points in this period.')
    : h('div', { class: 'table-wrap' }, h('table', { class: 'table', id: 'regressions-table' },
      h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Date'), h('th', { scope: 'col' }, 'Action'),
        h('th', { scope: 'col', class: 'num' }, 'Points'))),
      h('tbody', null, [...t.regressions].sort((a, b) => b.date.localeCompare(a.date)).map((r) =>
        h('tr', null, h('td', { class: 'nowrap' }, r.date.slice(0, 10)),
          h('td', null, h('a', { href: ctx.href('actions', r.control) }, r.title || r.control)),
          h('td', { class: 'num down' }, signed(r.delta)))))))));

  comparison.draw();
  if (t.riskAcceptance.length) {
    lineChart(ctx.charts, riskCanvas, t.riskAcceptance.map((r) => r.date.slice(5, 10)), [
      { label: 'Points set aside', values: t.riskAcceptance.map((r) => r.points), colour: cssVar('--warn'), fill: true },
      { label: 'Actions', values: t.riskAcceptance.map((r) => r.count), colour: cssVar('--muted') },
    ], { yMin: 0 });
  }
}

function basisName(b: { basis: string; basisValue?: string }): string {
  const name = BASIS_LABELS[b.basis] ?? b.basis;
  return b.basisValue && b.basis !== 'AllTenants' ? `${name} (${b.basisValue})` : name;
}

// The bases in the API's order (AllTenants, TotalSeats, IndustryTypes), as on the first day.
function basesOf(days: ComparisonDay[]): ComparisonBasisDay[] {
  return days[0]?.bases ?? [];
}

function averagesOf(days: ComparisonDay[], basis: string): (number | null)[] {
  return days.map((d) => {
    const b = d.bases.find((x) => x.basis === basis);
    return b && !b.withheld ? b.averageScore : null;
  });
}

// This tenant's percentage against each basis's average, withheld days left as gaps; below it
// the latest figures, what was withheld, and every figure as a table (for screen readers too).
function comparisonCard(ctx: Ctx, days: ComparisonDay[], microsoft: MicrosoftComparisonDay[]):
    { element: HTMLElement; draw: () => void } {
  const title = 'Compared with similar organisations';
  const bases = basesOf(days);
  const shown = bases.filter((b) => averagesOf(days, b.basis).some((v) => v !== null));
  const own = days.map((d) => d.percentage);
  if (days.length === 0 || own.every((v) => v === null)) {
    return { element: card(title, h('div', { id: 'comparison-trend' }, emptyState('No comparison yet',
      'The chart fills in once this tenant has been evaluated in this period.'))), draw: () => {} };
  }
  if (shown.length === 0) {
    return { element: card(title, h('div', { id: 'comparison-trend' }, emptyState('Comparison withheld',
      'Fewer than 3 other tenants share a basis with this one on any day of this period, so no ' +
      'average is shown: it could reveal one tenant\'s score.'))), draw: () => {} };
  }

  const latestIndex = own.map((v) => v !== null).lastIndexOf(true);
  const latest = days[latestIndex];
  const summary = h('div', { class: 'range-summary', id: 'comparison-latest' },
    h('div', { 'data-series': 'tenant' }, h('div', { class: 'label' }, `This tenant, ${latest.date}`),
      h('strong', { class: 'value' }, percent(latest.percentage, 2))),
    latest.bases.map((b) => h('div', { 'data-basis': b.basis }, h('div', { class: 'label' }, basisName(b)),
      b.withheld || b.averageScore === null
        ? h('strong', { class: 'value withheld' }, 'withheld')
        : h('strong', { class: 'value' }, percent(b.averageScore, 2)))));

  const notes = bases.map((b) => {
    const withheld = days.filter((d) => d.bases.find((x) => x.basis === b.basis)?.withheld ?? true).length;
    if (withheld === 0) return null;
    return h('li', { 'data-basis': b.basis }, withheld === days.length
      ? `${basisName(b)}: withheld on every day — fewer than 3 other tenants.`
      : `${basisName(b)}: withheld on ${withheld} of ${days.length} days (gaps in its line) — fewer than 3 other tenants then.`);
  }).filter((n): n is HTMLLIElement => n !== null);

  const ariaFigures = latest.bases.filter((b) => !b.withheld && b.averageScore !== null)
    .map((b) => `${basisName(b)} ${percent(b.averageScore, 2)}`).join(', ');
  const canvas = h('canvas', { role: 'img', id: 'comparison-chart',
    'aria-label': `This tenant's Secure Score against similar organisations; on ${latest.date}: ` +
      `this tenant ${percent(latest.percentage, 2)}, ${ariaFigures}` });
  const table = h('details', null, h('summary', null, 'Show the figures'),
    h('div', { class: 'table-wrap' }, h('table', { class: 'table compact', id: 'comparison-table' },
      h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Date'), h('th', { scope: 'col', class: 'num' }, 'This tenant'),
        bases.map((b) => h('th', { scope: 'col', class: 'num' }, basisName(b))))),
      h('tbody', null, [...days].reverse().map((d) => h('tr', { 'data-date': d.date },
        h('td', { class: 'nowrap' }, d.date),
        h('td', { class: 'num', 'data-series': 'tenant' }, percent(d.percentage, 2)),
        bases.map((b) => {
          const x = d.bases.find((y) => y.basis === b.basis);
          return x && !x.withheld && x.averageScore !== null
            ? h('td', { class: 'num', 'data-basis': b.basis }, percent(x.averageScore, 2))
            : h('td', { class: 'num withheld', 'data-basis': b.basis }, 'withheld');
        })))))));

  const reported = microsoft.filter((m) => m.bases.length > 0);
  const microsoftCanvas = h('canvas', { role: 'img', id: 'microsoft-comparison-chart',
    'aria-label': 'Microsoft\'s own Secure Score of this tenant against the averages Microsoft reported' });
  const element = card(title, h('div', { id: 'comparison-trend' }, summary,
    h('div', { class: 'chart tall' }, canvas),
    notes.length ? h('ul', { class: 'plain muted', id: 'comparison-notes' }, notes) : null,
    reported.length ? [h('h3', null, 'Microsoft\'s own comparison'),
      h('p', { class: 'muted' }, 'As imported from Microsoft: Microsoft\'s score of this tenant against the ' +
        'averages Microsoft reported over the organisations it scores, with its own catalog.'),
      h('div', { class: 'chart' }, microsoftCanvas)] : null,
    table));

  const draw = () => {
    const labels = days.map((d) => d.date.slice(5, 10));
    const series: Series[] = [
      { label: ctx.tenant!.displayName, values: own, colour: cssVar('--accent'), gaps: true },
      ...shown.map((b) => ({ label: basisName(b), values: averagesOf(days, b.basis),
                             colour: cssVar(BASIS_COLOURS[b.basis] ?? '--muted'), dashed: true, gaps: true })),
    ];
    lineChart(ctx.charts, canvas, labels, series, { percent: true });
    if (reported.length) {
      const names = [...new Set(reported.flatMap((m) => m.bases.map((b) => b.basis)))];
      lineChart(ctx.charts, microsoftCanvas, reported.map((m) => m.date.slice(5, 10)), [
        { label: 'Microsoft: this tenant', values: reported.map((m) => m.percentage), colour: cssVar('--accent'), gaps: true },
        ...names.map((basis) => ({
          label: `Microsoft: ${BASIS_LABELS[basis] ?? basis}`,
          values: reported.map((m) => m.bases.find((b) => b.basis === basis)?.averageScore ?? null),
          colour: cssVar(BASIS_COLOURS[basis] ?? '--muted'), dashed: true, gaps: true,
        })),
      ], { percent: true });
    }
  };
  return { element, draw };
}
