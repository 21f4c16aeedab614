// Part of docker/check-container.sh: what a person checks on a freshly started container, over HTTP.
// usage: node docker/check-api.mjs BASE_URL   (env: ADMIN_EMAIL, ADMIN_PASSWORD, SHOPIFY_WEBHOOK_SECRET)
// Exits non-zero with a line saying what was wrong.
import { createHmac, randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';

const base = process.argv[2];
const { ADMIN_EMAIL, ADMIN_PASSWORD, SHOPIFY_WEBHOOK_SECRET } = process.env;

function fail(message) {
  console.error(`FAILED: ${message}`);
  process.exit(1);
}

async function expectStatus(response, status, what) {
  const text = await response.text();
  if (response.status !== status) fail(`${what}: HTTP ${response.status}, expected ${status}: ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : null;
}

// 1. Health, public.
const health = await expectStatus(await fetch(`${base}/api/health`), 200, 'GET /api/health');
if (health.status !== 'ok' || health.database.status !== 'up') fail(`health says ${JSON.stringify(health)}`);
console.log(`health: ${JSON.stringify(health)}`);

// 2. The dashboard itself is served.
const page = await fetch(`${base}/`);
const html = await page.text();
if (page.status !== 200 || !html.includes('<mt-root')) fail(`GET / did not serve the dashboard (HTTP ${page.status})`);
console.log('dashboard: GET / serves index.html');

// 3. A signed Shopify webhook: an order placed now.
const order = JSON.parse(
  readFileSync(new URL('../apps/api/src/orders/fixtures/shopify-orders-create.json', import.meta.url)),
);
const now = new Date().toISOString();
Object.assign(order, { id: randomInt(1e12, 9e12), created_at: now, updated_at: now, processed_at: now });
const body = JSON.stringify(order);
const webhook = {
  method: 'POST',
  headers: {
    'content-type': 'application/json',
    'x-shopify-topic': 'orders/create',
    'x-shopify-shop-domain': 'check.myshopify.com',
    'x-shopify-webhook-id': `check-${order.id}`,
    'x-shopify-hmac-sha256': createHmac('sha256', SHOPIFY_WEBHOOK_SECRET).update(body).digest('base64'),
  },
  body,
};
console.log(
  `webhook: ${JSON.stringify(await expectStatus(await fetch(`${base}/api/webhooks/shopify`, webhook), 200, 'signed webhook'))}`,
);
const forged = { ...webhook, headers: { ...webhook.headers, 'x-shopify-hmac-sha256': 'AAAA' } };
await expectStatus(await fetch(`${base}/api/webhooks/shopify`, forged), 401, 'webhook with a wrong signature');
console.log('webhook with a wrong signature: 401');

// 4. Sign in as the first admin and read today's figures: the order is in them.
const login = await fetch(`${base}/api/auth/login`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD }),
});
await expectStatus(login, 200, 'POST /api/auth/login');
const cookie = login.headers
  .getSetCookie()
  .map((c) => c.split(';')[0])
  .join('; ');
const today = await expectStatus(
  await fetch(`${base}/api/comparison/today-vs-yesterday`, { headers: { cookie } }),
  200,
  'GET /api/comparison/today-vs-yesterday',
);
if (today.today.orders !== 1) fail(`today has ${today.today.orders} orders, expected the 1 just sent`);
if (!(today.today.revenue > 0)) fail(`today's revenue is ${today.today.revenue}, expected the order's`);
console.log(`figures: today ${today.today.orders} order, revenue ${today.today.revenue} ${today.currency}`);
const summary = await expectStatus(
  await fetch(`${base}/api/metrics/summary`, { headers: { cookie } }),
  200,
  'GET /api/metrics/summary',
);
console.log(`metrics/summary: ${JSON.stringify(summary).slice(0, 200)}…`);
