// apps/dashboard/public/prefetch.js, run as index.html runs it: in a page with `location` and `fetch`.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { runInNewContext } from 'node:vm';

const SOURCE = readFileSync(new URL('../apps/dashboard/public/prefetch.js', import.meta.url), 'utf8');

/** Runs the script at `pathname` against `answers` (by URL; a missing one is a 404); returns what it left and asked. */
function prefetchAt(pathname, answers) {
  const asked = [];
  const window = {};
  const fetch = (url, init) => {
    asked.push({ url, init });
    const body = answers[url];
    return Promise.resolve({ ok: body !== undefined, json: () => Promise.resolve(body) });
  };
  runInNewContext(SOURCE, {
    window,
    location: { pathname },
    fetch,
  });
  return { early: window.mtPrefetched, asked };
}

const FIRST_SCREEN = {
  todayVsYesterday: { asOf: 'hero' },
  hourly: { asOf: 'hourly' },
  summary: { asOf: 'summary' },
  weekly: { weeks: [] },
  monthly: { months: [] },
  daily: { days: [] },
};

test('the dashboard asks for the session and its first screen in two requests, past the service worker', async () => {
  const { early, asked } = prefetchAt('/', {
    '/api/auth/me': { user: { id: '1' } },
    '/api/first-screen': FIRST_SCREEN,
  });
  assert.deepEqual(
    asked.map((request) => request.url),
    ['/api/auth/me', '/api/first-screen'],
  );
  for (const { init } of asked) {
    assert.equal(init.credentials, 'same-origin');
    assert.equal(init.headers['ngsw-bypass'], 'true');
  }
  assert.deepEqual(await early['/api/auth/me'], { user: { id: '1' } });
  // Each part under the URL the app asks for it by.
  assert.deepEqual(await early['/api/comparison/today-vs-yesterday'], FIRST_SCREEN.todayVsYesterday);
  assert.deepEqual(await early['/api/growth/hourly'], FIRST_SCREEN.hourly);
  assert.deepEqual(await early['/api/metrics/summary'], FIRST_SCREEN.summary);
  assert.deepEqual(await early['/api/growth/weekly?weeks=13'], FIRST_SCREEN.weekly);
  assert.deepEqual(await early['/api/growth/monthly?months=13'], FIRST_SCREEN.monthly);
  assert.deepEqual(await early['/api/growth/daily?days=31'], FIRST_SCREEN.daily);
});

test('a refused first screen leaves every part unanswered, so that the app asks for each itself', async () => {
  const { early } = prefetchAt('/', {});
  assert.equal(await early['/api/auth/me'], undefined);
  assert.equal(await early['/api/comparison/today-vs-yesterday'], undefined);
  assert.equal(await early['/api/growth/daily?days=31'], undefined);
});

test('another page asks for the session only, the login page for nothing', async () => {
  assert.deepEqual(
    prefetchAt('/settings', {}).asked.map((request) => request.url),
    ['/api/auth/me'],
  );
  const login = prefetchAt('/login', {});
  assert.deepEqual(login.asked, []);
  assert.equal(login.early, undefined);
});
