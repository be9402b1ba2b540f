// What every page receives: the API client, who is signed in, the tenants in scope, and the
// shell's services (navigation, the header's score, notices).
import type { Api } from './api';
import type { ChartSet } from './charts';
import type { Me, Tenant } from './types';

export interface Route {
  page: string;
  tenant: string | null;
  sub: string | null;
}

export interface Ctx {
  api: Api;
  me: Me;
  tenants: Tenant[];
  tenant: Tenant | null;
  charts: ChartSet;
  canEdit: boolean;
  isAdmin: boolean;
  href(page: string, sub?: string | null, tenant?: string | null): string;
  navigate(hash: string): void;
  // Renders the current page again (after a change, so every figure comes from the server).
  reload(): void;
  refreshTenant(): Promise<void>;
  notify(message: string, kind?: 'ok' | 'error'): void;
}

export type Page = (ctx: Ctx, el: HTMLElement, route: Route) => Promise<void>;

export function tenantPath(ctx: Ctx, rest = ''): string {
  return `/api/v1/tenants/${encodeURIComponent(ctx.tenant!.id)}${rest}`;
}

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[0] === 't' && parts.length >= 2) {
    return { tenant: parts[1], page: parts[2] ?? 'overview', sub: parts[3] ?? null };
  }
  return { tenant: null, page: parts[0] ?? '', sub: parts[1] ?? null };
}
