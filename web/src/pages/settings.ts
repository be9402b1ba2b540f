// Settings: the goal and score zones of the current tenant (operators edit them), API tokens and
// alert rules (administrators only; a reader or operator does not even see these sections).
import type { Ctx } from '../app';
import { card, clear, emptyState, field, h, select } from '../dom';
import { describe } from '../errors';
import { DEFAULT_ZONES, date, dateTime } from '../format';
import type { AlertRule, TokenInfo, Zones } from '../types';

export async function renderSettings(ctx: Ctx, el: HTMLElement): Promise<void> {
  clear(el);
  el.append(h('div', { class: 'page-head' }, h('h1', null, 'Settings'),
    h('p', { class: 'muted' }, `Signed in as ${ctx.me.role}${ctx.me.tenant ? ` for ${ctx.me.tenant}` : ' for all tenants'}.`)));
  if (ctx.tenant) el.append(await goalCard(ctx));
  if (ctx.isAdmin) {
    el.append(await tokensCard(ctx), await alertsCard(ctx));
  } else {
    el.append(card('Tokens and alerts', h('p', { class: 'muted' }, 'Only administrators manage tokens and alert rules.')));
  }
}

function formMessage(): HTMLParagraphElement {
  return h('p', { class: 'form-message', role: 'alert' });
}

function fail(message: HTMLElement, error: unknown): void {
  const { title, text } = describe(error);
  message.textContent = `${title}: ${text}`;
}

async function goalCard(ctx: Ctx): Promise<HTMLElement> {
  const path = `/api/v1/tenants/${encodeURIComponent(ctx.tenant!.id)}/goal`;
  const goal = await ctx.api.get<{ target: number | null; by: string | null; zones: Zones | null }>(path);
  const zones = goal?.zones ?? DEFAULT_ZONES;
  if (!ctx.canEdit) {
    return card(`Goal and score zones · ${ctx.tenant!.displayName}`, h('dl', { class: 'kv', id: 'goal-view' },
      h('dt', null, 'Goal'), h('dd', null, goal?.target !== undefined && goal?.target !== null ? `${goal.target}% by ${date(goal.by)}` : 'none'),
      h('dt', null, 'Good from'), h('dd', null, `${zones.good}%`),
      h('dt', null, 'Okay from'), h('dd', null, `${zones.okay}%`)));
  }
  const target = h('input', { type: 'number', min: '0', max: '100', step: '0.5', value: goal?.target ?? '' });
  const by = h('input', { type: 'date', value: goal?.by ? goal.by.slice(0, 10) : '' });
  const good = h('input', { type: 'number', min: '0', max: '100', step: '1', value: zones.good, required: true });
  const okay = h('input', { type: 'number', min: '0', max: '100', step: '1', value: zones.okay, required: true });
  const message = formMessage();
  const form = h('form', { class: 'form-grid', id: 'goal-form' },
    field('Target score (%)', target), field('By', by),
    field('Good zone from (%)', good), field('Okay zone from (%)', okay),
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'btn primary' }, 'Save goal')), message);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (Number(okay.value) > Number(good.value)) {
      message.textContent = 'The okay zone must start below the good zone.';
      return;
    }
    try {
      await ctx.api.put(path, {
        target: target.value === '' ? null : Number(target.value),
        by: by.value || null,
        zones: { good: Number(good.value), okay: Number(okay.value) },
      });
      message.textContent = '';
      ctx.notify('Goal saved');
      await ctx.refreshTenant();
    } catch (error) {
      fail(message, error);
    }
  });
  return card(`Goal and score zones · ${ctx.tenant!.displayName}`, form);
}

async function tokensCard(ctx: Ctx): Promise<HTMLElement> {
  const body = h('div');
  const role = select(['reader', 'operator', 'admin'].map((r) => ({ value: r, label: r })), 'reader');
  const tenant = select([{ value: '', label: 'All tenants' },
    ...ctx.tenants.map((t) => ({ value: t.id, label: t.displayName }))], '');
  const expires = h('input', { type: 'date' });
  const name = h('input', { autocomplete: 'off', placeholder: 'e.g. CI pipeline' });
  const message = formMessage();
  const secret = h('div', { class: 'secret', hidden: true, id: 'new-token' });
  const form = h('form', { class: 'form-grid', id: 'token-form' },
    field('Name', name), field('Role', role), field('Tenant', tenant), field('Expires', expires),
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'btn primary' }, 'Create token')), message);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      const created = await ctx.api.post<Record<string, unknown>>('/api/v1/tokens', {
        role: role.value, tenant: tenant.value || null, name: name.value.trim() || null,
        ...(expires.value ? { expiresAt: `${expires.value}T00:00:00Z` } : {}),
      });
      const value = String(created.token ?? '');
      clear(secret);
      secret.append(h('strong', null, 'Copy this token now; it is not shown again.'),
                    h('code', { tabindex: '0' }, value));
      secret.hidden = false;
      message.textContent = '';
      await draw();
    } catch (error) {
      fail(message, error);
    }
  });

  async function draw(): Promise<void> {
    const tokens = (await ctx.api.get<{ tokens: TokenInfo[] }>('/api/v1/tokens')).tokens;
    clear(body);
    if (tokens.length === 0) {
      body.append(emptyState('No tokens', 'Create one below.'));
      return;
    }
    body.append(h('div', { class: 'table-wrap' }, h('table', { class: 'table compact', id: 'tokens-table' },
      h('thead', null, h('tr', null, ['Name', 'Role', 'Tenant', 'Created', 'Expires', ''].map((c) =>
        h('th', { scope: 'col' }, c)))),
      h('tbody', null, tokens.map((t) => h('tr', null,
        h('td', null, t.name || h('span', { class: 'mono' }, String(t.id))), h('td', null, t.role),
        h('td', null, t.tenant ?? 'all'), h('td', null, dateTime(t.createdAt)),
        h('td', null, t.revokedAt ? `revoked ${date(t.revokedAt)}` : t.expiresAt ? date(t.expiresAt) : 'never'),
        h('td', null, t.revokedAt ? null : h('button', { type: 'button', class: 'btn danger small',
          onclick: (async () => {
            if (!confirm(`Revoke token ${t.id}? Anything using it stops working.`)) return;
            try {
              await ctx.api.delete(`/api/v1/tokens/${encodeURIComponent(String(t.id))}`);
              await draw();
            } catch (error) {
              fail(message, error);
            }
          }) as EventListener }, 'Revoke'))))))));
  }
  await draw();
  return card('API tokens', body, secret, h('h3', null, 'New token'), form);
}

const ALERT_KINDS = [
  { value: 'score_below', label: 'Score below (%)' },
  { value: 'drop', label: 'Score drops by (points)' },
  { value: 'regression', label: 'An action regresses' },
  { value: 'state_expiring', label: 'A state expires in (days)' },
];

async function alertsCard(ctx: Ctx): Promise<HTMLElement> {
  const body = h('div');
  const kind = select(ALERT_KINDS, 'score_below');
  const threshold = h('input', { type: 'number', min: '0', step: '0.5', value: '60', required: true });
  const url = h('input', { type: 'url', required: true, placeholder: 'https://…', autocomplete: 'off' });
  const secret = h('input', { type: 'password', required: true, minlength: '16', autocomplete: 'off' });
  const tenant = select([{ value: '', label: 'All tenants' },
    ...ctx.tenants.map((t) => ({ value: t.id, label: t.displayName }))], '');
  const message = formMessage();
  const form = h('form', { class: 'form-grid', id: 'alert-form' },
    field('When', kind), field('Threshold', threshold), field('Tenant', tenant),
    field('Webhook URL', url), field('Signing secret', secret, 'At least 16 characters; signs each delivery.'),
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'btn primary' }, 'Add rule')), message);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      await ctx.api.post('/api/v1/alerts/rules', {
        kind: kind.value, threshold: Number(threshold.value), tenant: tenant.value || null,
        url: url.value.trim(), secret: secret.value,
      });
      message.textContent = '';
      form.reset();
      await draw();
    } catch (error) {
      fail(message, error);
    }
  });

  async function draw(): Promise<void> {
    const rules = (await ctx.api.get<{ rules: AlertRule[] }>('/api/v1/alerts/rules')).rules ?? [];
    clear(body);
    if (rules.length === 0) {
      body.append(h('p', { class: 'muted' }, 'No alert rules yet.'));
      return;
    }
    const kindLabel = (k: string) => ALERT_KINDS.find((x) => x.value === k)?.label.replace(/ \(.*\)$/, '') ?? k;
    body.append(h('div', { class: 'table-wrap' }, h('table', { class: 'table compact', id: 'alerts-table' },
      h('thead', null, h('tr', null, ['When', 'Threshold', 'Tenant', 'Webhook', 'Created', ''].map((c) =>
        h('th', { scope: 'col' }, c)))),
      h('tbody', null, rules.map((r) => h('tr', null,
        h('td', null, kindLabel(r.kind)), h('td', { class: 'num' }, String(r.threshold)),
        h('td', null, r.tenant ?? 'all'), h('td', { class: 'mono' }, r.url),
        h('td', null, `${dateTime(r.createdAt)} · ${r.createdBy}`),
        h('td', null, h('button', { type: 'button', class: 'btn danger small', onclick: (async () => {
          try {
            await ctx.api.delete(`/api/v1/alerts/rules/${encodeURIComponent(String(r.id))}`);
            await draw();
          } catch (error) {
            fail(message, error);
          }
        }) as EventListener }, 'Delete'))))))));
  }
  await draw().catch((error) => fail(message, error));
  return card('Alert rules', body, h('h3', null, 'New rule'), form);
}
