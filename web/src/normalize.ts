// Accepts the response shapes of docs/api.md and the equivalent shapes the service layer writes
// (history changes grouped per evaluation, comparisons with `peers`), and hands the pages one
// form. Keeps the dashboard working while the two converge.
import type { Compare, CompareBasis, History, ScoreChange, Trends } from './types';

interface GroupedChange {
  at: string;
  causes?: string[];
  controls: { id: string; fromState?: string; toState?: string; fromPoints: number; toPoints: number }[];
}

export function normalizeHistory(raw: History & { changes: (ScoreChange | GroupedChange)[] },
                                 titles: Map<string, string>): History {
  const changes: ScoreChange[] = [];
  for (const c of raw.changes ?? []) {
    if (!('controls' in c)) {
      changes.push({ ...c, title: c.title || titles.get(c.control) || c.control });
      continue;
    }
    for (const cc of c.controls) {
      if (cc.toPoints === cc.fromPoints) continue;
      const cause = cc.fromState !== cc.toState ? 'state'
        : c.causes?.length === 1 ? c.causes[0] : c.causes?.includes('evidence') ? 'evidence' : c.causes?.[0] ?? 'evidence';
      changes.push({ date: c.at, control: cc.id, title: titles.get(cc.id) ?? cc.id, from: cc.fromPoints,
                     to: cc.toPoints, delta: cc.toPoints - cc.fromPoints, cause });
    }
  }
  // A day may carry both our score and Microsoft's imported one; the chart follows ours.
  const daily = raw.daily ?? [];
  const ours = daily.filter((d) => d.source !== 'microsoft');
  return { daily: ours.length > 0 ? ours : daily, evaluations: raw.evaluations ?? [], changes };
}

interface ServiceComparison {
  tenant: { percentage: number };
  comparisons: (Omit<CompareBasis, 'tenantCount' | 'categories'> & {
    peers: number;
    categories: { name: string; averagePercentage: number }[];
  })[];
}

export function normalizeCompare(raw: Compare | ServiceComparison): Compare {
  if ('bases' in raw) return raw;
  return {
    percentage: raw.tenant.percentage,
    bases: raw.comparisons.map((b) => ({
      basis: b.basis, basisValue: b.basisValue, averageScore: b.withheld ? null : b.averageScore,
      tenantCount: b.peers, withheld: b.withheld,
      categories: (b.categories ?? []).map((c) => ({ name: c.name, averageScore: c.averagePercentage })),
    })),
  };
}

export function normalizeTrends(raw: Partial<Trends>): Trends {
  return {
    zone: raw.zone === 'poor' ? 'bad' : raw.zone ?? '',
    regressions: raw.regressions ?? [],
    riskAcceptance: raw.riskAcceptance ?? [],
    comparison: raw.comparison ?? [],
    microsoftComparison: raw.microsoftComparison ?? [],
    pointsGained: raw.pointsGained ?? 0,
    pointsLost: raw.pointsLost ?? 0,
  };
}
