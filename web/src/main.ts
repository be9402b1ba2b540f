// The dashboard shell: takes the token from the demo link into session storage (and out of the
// URL), finds out who is signed in, draws the header (tenant switcher, score, theme) and the
// navigation, and renders the page the hash route names.
import './style.css';
import { Api, ApiError } from './api';
import { parseRoute, type Ctx, type Page, type Route } from './app';
import { ChartSet } from './charts';
import { button, clear, emptyState, field, h, loading } from './dom';
import { describe, showError } from './errors';
import { percent, points, zoneOf } from './format';
import { renderActionDetail } from './pages/action-detail';
import { renderActions } from './pages/actions';
import { renderFleet } from './pages/fleet';
import { renderHistory } from './pages/history';
import { renderOverview } from './pages/overview';
import { renderSettings } from './pages/settings';
import { renderTrends } from './pages/trends';
import { renderWhatIf } from './pages/whatif';
import type { Me, Tenant, TenantScore } from './types';

const TOKEN_KEY = 'securescore.token';
const THEME_KEY = 'securescore.theme';

const TENANT_PAGES: { page: string; label: string; render: Page }[] = [
  { page: 'overview', label: 'Overview', render: renderOverview },
  { page: 'actions', label: 'Recommended actions', render: renderActions },
  { page: 'history', label: 'History', render: renderHistory },
  { page: 'trends', label: 'Metrics & trends', render: renderTrends },
  { page: 'whatif', label: 'What-if planner', render: renderWhatIf },
];
const GLOBAL_PAGES: { page: string; label: string; render: Page }[] = [
  { page: 'fleet', label: 'Fleet', render: renderFleet },
  { page: 'settings', label: 'Settings', render: renderSettings },
];

// The demo link carries `#token=…` once; it moves to session storage and leaves the URL.
function takeTokenFromUrl(): void {
  const match = /^#token=([^&]+)/.exec(location.hash);
  if (!match) return;
  sessionStorage.setItem(TOKEN_KEY, decodeURIComponent(match[1]));
  history.replaceState(null, '', `${location.pathname}${location.search}#/`);
}

function applyTheme(theme: string | null): void {
  const preferred = matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
  document.documentElement.dataset.theme = theme ?? preferred;
}

const root = document.getElementById('app')!;
// Signing in again makes a new shell; the old one's hash listener must then stay quiet.
let activeShell: Shell | null = null;

function signInScreen(message?: { title: string; text: string }): void {
  activeShell = null;
  clear(root);
  const input = h('input', { type: 'password', autocomplete: 'off', required: true,
                             spellcheck: 'false' });
  const form = h('form', { class: 'signin card' },
    h('h1', null, 'securescore'),
    message ? h('div', { class: 'notice error', role: 'alert' }, h('strong', null, message.title),
                h('p', null, message.text)) : h('p', null, 'Sign in with an API token.'),
    field('API token', input, 'Created with `securescore token create`; kept only for this browser tab.'),
    h('button', { type: 'submit', class: 'btn primary' }, 'Sign in'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    sessionStorage.setItem(TOKEN_KEY, input.value.trim());
    void start();
  });
  root.appendChild(h('main', { class: 'signin-wrap' }, form));
  input.focus();
}

async function start(): Promise<void> {
  takeTokenFromUrl();
  applyTheme(localStorage.getItem(THEME_KEY));
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (!token) return signInScreen();
  const api = new Api(token);
  clear(root);
  root.appendChild(loading());
  let me: Me;
  let tenants: Tenant[];
  try {
    me = await api.get<Me>('/api/v1/me');
    tenants = (await api.get<{ tenants: Tenant[] }>('/api/v1/tenants')).tenants;
  } catch (error) {
    if (error instanceof ApiError && error.kind === 'unauthorized') {
      sessionStorage.removeItem(TOKEN_KEY);
      return signInScreen(describe(error));
    }
    showError(root, error, () => void start());
    return;
  }
  api.onUnauthorized = (error) => {
    sessionStorage.removeItem(TOKEN_KEY);
    signInScreen(describe(error));
  };
  activeShell = new Shell(api, me, tenants);
  activeShell.mount();
}

class Shell {
  private readonly charts = new ChartSet();
  private readonly main = h('main', { id: 'main', tabindex: '-1' });
  private readonly nav = h('nav', { class: 'nav', 'aria-label': 'Pages' });
  private readonly switcher = h('select', { id: 'tenant-switcher', 'aria-label': 'Tenant' });
  private readonly headerScore = h('div', { class: 'header-score', id: 'header-score',
                                            'aria-live': 'polite' });
  private readonly toast = h('div', { class: 'toast', role: 'status', 'aria-live': 'polite' });
  private tenant: Tenant | null = null;
  private renderCount = 0;

  constructor(
    private readonly api: Api,
    private readonly me: Me,
    private tenants: Tenant[],
  ) {}

  mount(): void {
    clear(root);
    const themeButton = button('', () => {
      const next = document.documentElement.dataset.theme === 'dark' ? 'light' : 'dark';
      localStorage.setItem(THEME_KEY, next);
      applyTheme(next);
      this.updateThemeButton(themeButton);
      void this.render();
    }, { class: 'btn ghost', id: 'theme-toggle' });
    this.updateThemeButton(themeButton);
    this.switcher.addEventListener('change', () => {
      const route = parseRoute(location.hash);
      const page = route.tenant ? route.page : 'overview';
      location.hash = `#/t/${encodeURIComponent(this.switcher.value)}/${page === 'actions' && route.sub ? 'actions' : page}`;
    });
    const header = h('header', { class: 'topbar' },
      h('a', { class: 'skip', href: '#main', onclick: ((e: Event) => {
        e.preventDefault();
        this.main.focus();
      }) as EventListener }, 'Skip to content'),
      h('a', { class: 'brand', href: '#/' }, h('span', { class: 'logo', 'aria-hidden': 'true' }),
        'securescore'),
      h('div', { class: 'tenant-pick' }, this.switcher),
      this.headerScore,
      h('div', { class: 'topbar-end' },
        h('span', { class: `role-badge role-${this.me.role}`, id: 'role-badge',
                    title: this.me.tenant ? `Scoped to ${this.me.tenant}` : 'All tenants' },
          this.me.role),
        themeButton));
    root.append(header, h('div', { class: 'layout' }, this.nav, this.main), this.toast);
    window.addEventListener('hashchange', () => {
      if (activeShell === this) void this.render();
    });
    void this.render();
  }

  private updateThemeButton(el: HTMLButtonElement): void {
    const dark = document.documentElement.dataset.theme === 'dark';
    el.textContent = dark ? '☀ Light' : '☾ Dark';
    el.setAttribute('aria-label', dark ? 'Switch to light theme' : 'Switch to dark theme');
    el.setAttribute('aria-pressed', String(dark));
  }

  private defaultRoute(): string {
    if (this.tenants.length === 0) return '#/fleet';
    if (!this.me.tenant && this.tenants.length > 1) return '#/fleet';
    return `#/t/${encodeURIComponent(this.me.tenant ?? this.tenants[0].id)}/overview`;
  }

  private drawNav(route: Route): void {
    clear(this.nav);
    const list = h('ul');
    const tenantId = this.tenant?.id;
    if (tenantId) {
      for (const p of TENANT_PAGES) {
        const current = route.tenant === tenantId && route.page === p.page;
        list.appendChild(h('li', null, h('a', {
          href: `#/t/${encodeURIComponent(tenantId)}/${p.page}`,
          'aria-current': current ? 'page' : null,
        }, p.label)));
      }
    }
    for (const p of GLOBAL_PAGES) {
      list.appendChild(h('li', null, h('a', { href: `#/${p.page}`,
        'aria-current': route.tenant === null && route.page === p.page ? 'page' : null }, p.label)));
    }
    this.nav.appendChild(list);
  }

  private drawSwitcher(): void {
    clear(this.switcher);
    for (const t of this.tenants) {
      const option = h('option', { value: t.id }, t.displayName);
      if (t.id === this.tenant?.id) option.selected = true;
      this.switcher.appendChild(option);
    }
    this.switcher.disabled = this.tenants.length < 2;
    this.switcher.parentElement!.hidden = this.tenants.length === 0;
  }

  private async refreshHeaderScore(): Promise<void> {
    clear(this.headerScore);
    if (!this.tenant) return;
    try {
      const s = await this.api.get<TenantScore>(
        `/api/v1/tenants/${encodeURIComponent(this.tenant.id)}/score`);
      const zone = zoneOf(s.score.percentage, s.zones);
      clear(this.headerScore);
      this.headerScore.append(
        h('span', { class: 'label' }, 'Secure Score'),
        h('strong', { class: `zone-text-${zone}`, 'data-value': s.score.percentage },
          percent(s.score.percentage, 2)),
        h('span', { class: 'muted' }, `${points(s.score.current)} / ${points(s.score.max)}`));
    } catch {
      // The page itself explains the failure; the header just stays empty.
    }
  }

  private notify(message: string, kind: 'ok' | 'error' = 'ok'): void {
    this.toast.textContent = message;
    this.toast.className = `toast show ${kind}`;
    window.setTimeout(() => (this.toast.className = 'toast'), 4000);
  }

  private context(): Ctx {
    const canEdit = this.me.role === 'operator' || this.me.role === 'admin';
    return {
      api: this.api,
      me: this.me,
      tenants: this.tenants,
      tenant: this.tenant,
      charts: this.charts,
      canEdit,
      isAdmin: this.me.role === 'admin',
      href: (page, sub = null, tenant = this.tenant?.id ?? null) =>
        tenant
          ? `#/t/${encodeURIComponent(tenant)}/${page}${sub ? `/${encodeURIComponent(sub)}` : ''}`
          : `#/${page}`,
      navigate: (hash) => (location.hash = hash),
      reload: () => void this.render(),
      refreshTenant: async () => {
        this.tenants = (await this.api.get<{ tenants: Tenant[] }>('/api/v1/tenants')).tenants;
        this.tenant = this.tenants.find((t) => t.id === this.tenant?.id) ?? this.tenant;
        await this.refreshHeaderScore();
      },
      notify: (message, kind) => this.notify(message, kind),
    };
  }

  private async render(): Promise<void> {
    const generation = ++this.renderCount;
    const route = parseRoute(location.hash);
    if (!route.page) {
      history.replaceState(null, '', this.defaultRoute());
      return this.render();
    }
    if (route.tenant) {
      this.tenant = this.tenants.find((t) => t.id === route.tenant) ?? null;
    } else if (!this.tenant && this.tenants.length > 0) {
      this.tenant = this.tenants.find((t) => t.id === this.me.tenant) ?? this.tenants[0];
    }
    this.drawSwitcher();
    this.drawNav(route);
    void this.refreshHeaderScore();
    this.charts.destroyAll();
    clear(this.main);

    const ctx = this.context();
    const pages = route.tenant ? TENANT_PAGES : GLOBAL_PAGES;
    const entry = pages.find((p) => p.page === route.page);
    if (route.tenant && !this.tenant) {
      this.main.appendChild(emptyState('Tenant not found',
        `There is no tenant "${route.tenant}" in your scope.`, h('a', { href: '#/fleet' }, 'See all tenants')));
      return;
    }
    if (!entry) {
      this.main.appendChild(emptyState('Page not found', 'This address names no page.',
                                       h('a', { href: '#/' }, 'Go to the start')));
      return;
    }
    document.title = `${entry.label}${this.tenant && route.tenant ? ` · ${this.tenant.displayName}` : ''} · securescore`;
    const page = h('div', { class: 'page', 'data-page': route.page });
    this.main.appendChild(page);
    page.appendChild(loading());
    const render = route.page === 'actions' && route.sub ? renderActionDetail : entry.render;
    try {
      await render(ctx, page, route);
      if (generation === this.renderCount) page.dataset.ready = 'true';
    } catch (error) {
      if (generation !== this.renderCount) return;
      showError(page, error, () => void this.render());
    }
  }
}

void start();
