// Charts (Chart.js, bundled; no CDN). Colours come from the CSS custom properties
// of the current theme, so a theme switch re-renders the page and the charts follow.
import { Chart, registerables, type ChartConfiguration, type Plugin } from 'chart.js';
import type { Zones } from './types';

Chart.register(...registerables);

export function cssVar(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
}

// Charts made for the current page; the router destroys them when the page changes.
export class ChartSet {
  private charts: Chart[] = [];

  add(canvas: HTMLCanvasElement, config: ChartConfiguration): Chart {
    Chart.defaults.color = cssVar('--muted');
    Chart.defaults.borderColor = cssVar('--grid');
    Chart.defaults.font.family = cssVar('--font');
    const chart = new Chart(canvas, config);
    this.charts.push(chart);
    return chart;
  }

  destroyAll(): void {
    for (const chart of this.charts) chart.destroy();
    this.charts = [];
  }
}

// Paints the score zones (poor / okay / good) as bands behind a percentage chart.
function zonesPlugin(zones: Zones): Plugin<'line'> {
  return {
    id: 'scoreZones',
    beforeDatasetsDraw(chart) {
      const { ctx, chartArea, scales } = chart;
      const y = scales.y;
      if (!chartArea || !y) return;
      const bands: [number, number, string][] = [
        [0, zones.okay, cssVar('--zone-bad')],
        [zones.okay, zones.good, cssVar('--zone-okay')],
        [zones.good, 100, cssVar('--zone-good')],
      ];
      ctx.save();
      for (const [low, high, colour] of bands) {
        const top = Math.max(y.getPixelForValue(high), chartArea.top);
        const bottom = Math.min(y.getPixelForValue(low), chartArea.bottom);
        if (bottom <= top) continue;
        ctx.fillStyle = colour;
        ctx.fillRect(chartArea.left, top, chartArea.right - chartArea.left, bottom - top);
      }
      ctx.restore();
    },
  };
}

export interface Series {
  label: string;
  values: (number | null)[];
  colour: string;
  dashed?: boolean;
  fill?: boolean;
}

export function lineChart(
  charts: ChartSet,
  canvas: HTMLCanvasElement,
  labels: string[],
  series: Series[],
  options: { zones?: Zones; percent?: boolean; yMin?: number; yMax?: number } = {},
): Chart {
  const config: ChartConfiguration<'line'> = {
    type: 'line',
    data: {
      labels,
      datasets: series.map((s) => ({
        label: s.label,
        data: s.values,
        borderColor: s.colour,
        backgroundColor: s.fill ? `${s.colour}18` : s.colour,
        borderWidth: 2,
        borderDash: s.dashed ? [6, 4] : undefined,
        pointRadius: 0,
        pointHoverRadius: 4,
        tension: 0.25,
        fill: s.fill ? 'origin' : false,
        spanGaps: true,
      })),
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      interaction: { mode: 'index', intersect: false },
      plugins: {
        legend: { display: series.length > 1, labels: { boxWidth: 12, boxHeight: 2 } },
        tooltip: {
          callbacks: {
            label: (item) =>
              `${item.dataset.label}: ${(item.parsed.y ?? 0).toFixed(2)}${options.percent ? '%' : ''}`,
          },
        },
      },
      scales: {
        x: { ticks: { maxTicksLimit: 7, maxRotation: 0 }, grid: { display: false } },
        y: {
          min: options.yMin ?? (options.percent ? 0 : undefined),
          max: options.yMax ?? (options.percent ? 100 : undefined),
          ticks: { callback: (v) => `${v}${options.percent ? '%' : ''}` },
        },
      },
    },
    plugins: options.zones ? [zonesPlugin(options.zones)] : [],
  };
  return charts.add(canvas, config as unknown as ChartConfiguration);
}

export function barChart(
  charts: ChartSet,
  canvas: HTMLCanvasElement,
  labels: string[],
  series: { label: string; values: number[]; colour: string }[],
  options: { horizontal?: boolean; stacked?: boolean } = {},
): Chart {
  const config: ChartConfiguration<'bar'> = {
    type: 'bar',
    data: {
      labels,
      datasets: series.map((s) => ({
        label: s.label,
        data: s.values,
        backgroundColor: s.colour,
        borderRadius: 4,
        maxBarThickness: 28,
      })),
    },
    options: {
      indexAxis: options.horizontal ? 'y' : 'x',
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      plugins: { legend: { display: series.length > 1, labels: { boxWidth: 12 } } },
      scales: {
        x: { stacked: options.stacked, grid: { display: !options.horizontal ? false : true } },
        y: { stacked: options.stacked, beginAtZero: true },
      },
    },
  };
  return charts.add(canvas, config as unknown as ChartConfiguration);
}

// The least vertical range a sparkline shows, in percentage points. Scaled to the data's own
// range alone, a 0.5-point wobble on an otherwise flat line fills the whole height and reads as
// a cliff; with this floor small moves stay small and real drops still stand out.
export const SPARKLINE_MIN_SPAN = 10;

// A 30-day sparkline as inline SVG: one per fleet row, far lighter than a canvas chart each.
// Points sit at their dates, so a day without an evaluation shows as a longer segment rather
// than squeezing the days around it together.
export function sparkline(points: { date: string; percentage: number }[], label: string): SVGSVGElement {
  const ns = 'http://www.w3.org/2000/svg';
  const width = 96;
  const height = 24;
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  svg.setAttribute('width', String(width));
  svg.setAttribute('height', String(height));
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', label);
  svg.classList.add('sparkline');
  if (points.length < 2) return svg;
  const values = points.map((p) => p.percentage);
  const times = points.map((p) => Date.parse(`${p.date}T00:00:00Z`));
  let min = Math.min(...values);
  let max = Math.max(...values);
  if (max - min < SPARKLINE_MIN_SPAN) {
    const mid = (min + max) / 2;
    min = Math.max(0, Math.min(mid - SPARKLINE_MIN_SPAN / 2, 100 - SPARKLINE_MIN_SPAN));
    max = min + SPARKLINE_MIN_SPAN;
  }
  const first = times[0];
  const duration = times[times.length - 1] - first || 1;
  const pointsAttr = values
    .map((v, i) => {
      const x = ((times[i] - first) / duration) * width;
      const y = height - 2 - ((v - min) / (max - min)) * (height - 4);
      return `${x.toFixed(1)},${y.toFixed(1)}`;
    })
    .join(' ');
  const line = document.createElementNS(ns, 'polyline');
  line.setAttribute('points', pointsAttr);
  line.setAttribute('fill', 'none');
  line.setAttribute('stroke-width', '1.75');
  line.classList.add(values[values.length - 1] >= values[0] ? 'up' : 'down');
  svg.appendChild(line);
  return svg;
}
