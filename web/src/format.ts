// How numbers, dates and labels are shown: points to 2 decimals (DESIGN §2), percentages to 1.

export const STATUS_LABELS: Record<string, string> = {
  completed: 'Completed',
  partial: 'Partial',
  to_address: 'To address',
  not_applicable: 'Not applicable',
  no_data: 'No data',
  error: 'Error',
};

export const STATE_LABELS: Record<string, string> = {
  to_address: 'To address',
  planned: 'Planned',
  risk_accepted: 'Risk accepted',
  third_party: 'Third party',
  alternate_mitigation: 'Alternate mitigation',
  reviewed: 'Reviewed',
};

export const CATEGORIES = ['Identity', 'Data', 'Device', 'Apps', 'Infrastructure'];

export const BASIS_LABELS: Record<string, string> = {
  AllTenants: 'All tenants',
  TotalSeats: 'Same seat band',
  IndustryTypes: 'Same industry',
};

export function points(value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '–';
  return value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

export function percent(value: number | null | undefined, digits = 1): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '–';
  return `${value.toFixed(digits)}%`;
}

export function signed(value: number | null | undefined, unit = ''): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '–';
  const text = Math.abs(value).toFixed(2);
  if (Math.abs(value) < 0.005) return `0.00${unit}`;
  return `${value > 0 ? '+' : '−'}${text}${unit}`;
}

export function date(value: string | null | undefined): string {
  if (!value) return '–';
  return value.slice(0, 10);
}

export function dateTime(value: string | null | undefined): string {
  if (!value) return '–';
  return value.replace('T', ' ').replace(/:\d\d(\.\d+)?Z$/, ' UTC');
}

export function label(map: Record<string, string>, key: string | null | undefined): string {
  if (!key) return '–';
  return map[key] ?? key.replace(/_/g, ' ');
}

// Score zones when a tenant has none of its own.
export const DEFAULT_ZONES = { good: 80, okay: 50 };

export function zoneOf(percentage: number, zones: { good: number; okay: number } | null): string {
  zones ??= DEFAULT_ZONES;
  if (percentage >= zones.good) return 'good';
  if (percentage >= zones.okay) return 'okay';
  return 'bad';
}

export const ZONE_LABELS: Record<string, string> = {
  good: 'Good',
  okay: 'Okay',
  bad: 'Needs attention',
};

export function isoDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

export function daysAgo(n: number, from = new Date()): string {
  return isoDay(new Date(from.getTime() - n * 86400000));
}
