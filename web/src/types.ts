// Shapes of the native API (docs/api.md). Only the fields the dashboard reads are declared.

export type Role = 'reader' | 'operator' | 'admin';

export interface Me {
  role: Role;
  tenant: string | null;
}

export interface ScoreFigures {
  current: number;
  max: number;
  percentage: number;
}

export interface Goal {
  target: number;
  by: string;
  status?: string;
}

export interface Zones {
  good: number;
  okay: number;
}

export interface Tenant {
  id: string;
  displayName: string;
  industry: string;
  seats: number;
  evaluatedAt: string | null;
  score: ScoreFigures | null;
  change30d: number | null;
  regressions: number;
  worstCategory: string | null;
  goal: (Goal & { status: string }) | null;
  sparkline: { date: string; percentage: number }[];
}

export interface Finding {
  entityId: string;
  entityName: string;
  reason: string;
}

export interface CategoryScore {
  name: string;
  current: number;
  max: number;
  percentage: number;
}

// What the score object and the actions list both say about a control.
export interface ControlFigures {
  id: string;
  title: string;
  category: string;
  service: string;
  status: string;
  state: string;
  points: number;
  max: number;
  count: number;
  total: number;
  scoreImpact: number;
}

export interface ScoreControl extends ControlFigures {
  stateComment?: string;
  regressed?: boolean;
  failing: Finding[];
  missingTables?: string[];
  error?: string;
  evidenceNote?: string;
}

export interface TenantScore {
  tenant: { id: string; displayName: string };
  evaluatedAt: string;
  collectedAt?: string;
  score: ScoreFigures & { measured: number; planned: number };
  categories: CategoryScore[];
  controls: ScoreControl[];
  coverage: { assessed: number; notApplicable: number; noData: number; errors: number };
  goal: Goal | null;
  // null until someone sets zones; the dashboard then uses DEFAULT_ZONES.
  zones: Zones | null;
}

export interface ActionItem extends ControlFigures {
  userImpact: string;
  implementationCost: string;
  tier: string;
  regressed: boolean;
  tags: string[];
  assignee: string | null;
  expiresAt: string | null;
}

export interface ActionList {
  total: number;
  items: ActionItem[];
}

export interface ActionDetail extends ActionItem {
  description: string;
  remediation: string;
  portal: string;
  powershell: string;
  userNotice: string;
  threats: string[];
  frameworks: string[] | Record<string, string[]>;
  evidenceLevel: string;
  failing: Finding[];
  excepted: Finding[];
  pointsHistory: { date: string; points: number; max: number }[];
  stateHistory: { at: string; by: string; from: string; to: string; comment: string }[];
  comment: string | null;
}

export interface CompareBasis {
  basis: 'AllTenants' | 'TotalSeats' | 'IndustryTypes' | string;
  basisValue: string;
  averageScore: number | null;
  tenantCount: number;
  withheld: boolean;
  categories: { name: string; averageScore: number }[];
}

export interface Compare {
  percentage: number;
  bases: CompareBasis[];
}

export interface HistoryDay {
  date: string;
  current: number;
  max: number;
  percentage: number;
  source: string;
}

export interface ScoreChange {
  date: string;
  control: string;
  title: string;
  from: number;
  to: number;
  delta: number;
  cause: string;
}

export interface History {
  daily: HistoryDay[];
  evaluations: { id: string | number; evaluatedAt: string; current: number; max: number }[];
  changes: ScoreChange[];
}

// One basis on one day of the trends comparison (docs/api.md): null and withheld when fewer than
// 3 other tenants share the basis that day.
export interface ComparisonBasisDay {
  basis: 'AllTenants' | 'TotalSeats' | 'IndustryTypes' | string;
  basisValue: string;
  peers: number;
  withheld: boolean;
  averageScore: number | null;
}

export interface ComparisonDay {
  date: string;
  percentage: number | null;
  bases: ComparisonBasisDay[];
}

// A day of Microsoft's imported series with the averages Microsoft reported (its population).
export interface MicrosoftComparisonDay {
  date: string;
  percentage: number;
  bases: { basis: string; averageScore: number }[];
}

export interface Trends {
  zone: string;
  regressions: { date: string; control: string; title: string; delta: number }[];
  riskAcceptance: { date: string; count: number; points: number }[];
  comparison: ComparisonDay[];
  microsoftComparison: MicrosoftComparisonDay[];
  pointsGained: number;
  pointsLost: number;
}

export interface WhatIf {
  current: number;
  projected: number;
  max: number;
  percentage: number;
  projectedPercentage: number;
  categories: { name: string; current: number; projected: number; max: number }[];
}

export interface TokenInfo {
  id: string | number;
  role: Role;
  tenant: string | null;
  name?: string;
  createdAt?: string;
  expiresAt?: string | null;
  revokedAt?: string | null;
}

export interface AlertRule {
  id: number;
  tenant: string | null;
  kind: string;
  threshold: number;
  url: string;
  createdBy: string;
  createdAt: string;
}
