// Test harness for the dashboard's browser tests: starts the real `securescore serve --demo` on a
// free port with a fresh store, reads the URL it prints, launches Debian's chromium through
// playwright-core, and offers the API to compare the pages with.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { chromium } from 'playwright-core';

const here = path.dirname(new URL(import.meta.url).pathname);
const repo = path.resolve(here, '../..');

export const config = {
  bin: process.env.SECURESCORE_BIN ?? path.join(repo, 'build/src/securescore/cli/securescore'),
  web: process.env.SECURESCORE_WEB_DIST ?? path.join(repo, 'web/dist'),
  output: process.env.SECURESCORE_TEST_OUTPUT ?? path.join(os.tmpdir(), 'securescore-browser'),
  chromium: process.env.CHROMIUM ?? '/usr/bin/chromium',
};

// Bounded waits everywhere: a broken server fails the test instead of hanging it.
// The demo store (5 tenants x 90 evaluated days) takes about a minute on an idle machine and
// several on a loaded 2-core one; the bound only stops a server that never comes up.
export const STARTUP_LIMIT_MS = 900_000;

export async function startServer() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'securescore-browser-'));
  const child = spawn(config.bin, ['serve', '--demo', '--listen', '127.0.0.1:0', '--web', config.web,
                                   '--threads', '4'], {
    env: { ...process.env, SECURESCORE_DB: `sqlite:${path.join(dir, 'store.db')}` },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = [];
  readline.createInterface({ input: child.stderr }).on('line', (line) => {
    log.push(line);
    if (log.length > 200) log.shift();
  });
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve --demo printed no URL in time:\n${log.join('\n')}`)),
                             STARTUP_LIMIT_MS);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve --demo exited with ${code}:\n${log.join('\n')}`));
    });
    readline.createInterface({ input: child.stdout }).on('line', (line) => {
      if (/^http:\/\/\S+#token=\S+$/.test(line.trim())) {
        clearTimeout(timer);
        resolve(line.trim());
      }
    });
  });
  const parsed = new URL(url);
  const token = decodeURIComponent(parsed.hash.replace(/^#token=/, ''));
  const origin = parsed.origin;
  return {
    url,
    origin,
    token,
    log,
    api: (t = token) => apiClient(origin, t),
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await new Promise((resolve) => {
          const timer = setTimeout(() => { child.kill('SIGKILL'); resolve(); }, 10_000);
          child.once('exit', () => { clearTimeout(timer); resolve(); });
        });
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function apiClient(origin, token) {
  const call = async (method, p, body) => {
    const response = await fetch(`${origin}${p}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await response.text();
    if (!response.ok) throw Object.assign(new Error(`${method} ${p}: ${response.status} ${text}`), { status: response.status });
    return text ? JSON.parse(text) : null;
  };
  return {
    get: (p) => call('GET', p),
    post: (p, body) => call('POST', p, body),
    patch: (p, body) => call('PATCH', p, body),
  };
}

export async function launchBrowser() {
  // playwright-core gives every launch a fresh, throw-away profile (its own --user-data-dir).
  return chromium.launch({
    executablePath: config.chromium,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    timeout: 60_000,
  });
}

// A page whose console errors and uncaught exceptions are collected (a test can assert none).
export async function openPage(browser, { width = 1366, height = 900, theme = 'light' } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, colorScheme: theme,
                                             acceptDownloads: true });
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  page.errors = [];
  page.on('pageerror', (error) => page.errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') page.errors.push(`console: ${message.text()}`);
  });
  return page;
}

// Navigates inside the single-page app and waits until the page says it has rendered.
export async function goTo(page, hash) {
  await page.evaluate((h) => {
    document.querySelector('.page')?.removeAttribute('data-ready');
    location.hash = h;
  }, hash);
  await page.waitForSelector(`.page[data-ready="true"]`);
}

export async function screenshot(page, name) {
  const dir = path.join(config.output, 'screenshots');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

// The dashboard's number formats (web/src/format.ts), to compare text with API figures.
export const fmt = {
  points: (v) => v.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 }),
  percent: (v, digits = 2) => `${v.toFixed(digits)}%`,
};

export function isoDaysAgo(n) {
  return new Date(Date.now() - n * 86400000).toISOString().slice(0, 10);
}
