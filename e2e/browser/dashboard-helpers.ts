import { createHmac, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { APIRequestContext, Page, expect } from '@playwright/test';
import { E2E_ADMIN, E2E_SHOPIFY_SECRET } from '../playwright.config';

/** Copies of the shared sample files, kept in the repository so that a clean clone has them. */
export const SAMPLES = join(__dirname, '..', '..', 'apps', 'api', 'src', 'upload', 'fixtures');
const ORDER_FIXTURES = join(__dirname, '..', '..', 'apps', 'api', 'src', 'orders', 'fixtures');

/** The browser runs with locale en-US; the dashboard formats with the browser's locale. */
export const money = (amount: number | null, currency = 'USD', digits = 2): string =>
  amount === null
    ? '—'
    : new Intl.NumberFormat('en-US', {
        style: 'currency',
        currency,
        minimumFractionDigits: digits,
        maximumFractionDigits: digits,
      }).format(amount);
export const count = (value: number | null, digits = 0): string =>
  value === null ? '—' : new Intl.NumberFormat('en-US', { maximumFractionDigits: digits }).format(value);
export const change = (value: number | null): string => {
  if (value === null) return '—';
  const sign = value > 0 ? '+' : value < 0 ? '−' : '±';
  return `${sign}${count(Math.abs(value), 1)}%`;
};

const CURRENCY_CODES = Intl.supportedValuesOf('currency').join('|');
/**
 * An amount as a widget could write it, in any locale and currency: "$1,234.50", "1.234,50 €",
 * "14,354 USD", "CHF 12". Presenter mode must leave no match on the screen. A code before a date ("USD
 * 2026-12-01", the currencies' last rates) is not an amount.
 */
export const MONEY_TEXT = new RegExp(
  `\\p{Sc}\\s?\\d|\\d\\s?\\p{Sc}|\\d\\s?(?:${CURRENCY_CODES})\\b|\\b(?:${CURRENCY_CODES})\\s?\\d(?!\\d{3}-\\d\\d-\\d\\d)`,
  'u',
);

/**
 * Everything of the page a person can see or hear: the rendered text (toasts included), what the fields
 * hold, tooltips and the labels a screen reader speaks, and the tab's title.
 */
export async function everythingShown(page: Page): Promise<string[]> {
  return page.evaluate(() => [
    document.title,
    document.body.innerText,
    ...Array.from(document.querySelectorAll('input, textarea'), (field) => (field as HTMLInputElement).value),
    ...Array.from(document.querySelectorAll('[title], [aria-label], [alt]'), (node) =>
      ['title', 'aria-label', 'alt'].map((name) => node.getAttribute(name) ?? '').join(' '),
    ),
  ]);
}

export async function signIn(page: Page, user = E2E_ADMIN): Promise<void> {
  await page.goto('/');
  await expect(page).toHaveURL(/\/login/);
  await page.getByLabel('E-mail').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('hero-orders')).toBeVisible();
}

/** GET an API path with the page's session cookie. */
export async function api<T>(request: APIRequestContext, path: string): Promise<T> {
  const response = await request.get(path);
  expect(response.status(), `${path} answered ${response.status()}`).toBe(200);
  return (await response.json()) as T;
}

/**
 * The sample Shopify orders/create delivery, made a new order created now, signed with the test secret
 * as Shopify signs it (base64 HMAC-SHA256 of the raw body).
 */
export function freshShopifyOrder(): {
  body: string;
  headers: Record<string, string>;
  total: number;
  country: string;
  name: string;
  /** The first line item's title, which the catalogue's title of that line is named after. */
  firstTitle: string;
} {
  const order = JSON.parse(readFileSync(join(ORDER_FIXTURES, 'shopify-orders-create.json'), 'utf8')) as Record<
    string,
    unknown
  >;
  const now = new Date().toISOString();
  order['id'] = 7_000_000_000_000 + Math.floor(Math.random() * 1_000_000_000);
  order['name'] = `#E2E${order['id'] as number}`;
  order['created_at'] = now;
  order['updated_at'] = now;
  order['processed_at'] = now;
  const body = JSON.stringify(order);
  return {
    body,
    name: order['name'] as string,
    total: Number(order['total_price']),
    firstTitle: (order['line_items'] as Array<{ title: string }>)[0].title,
    country: ((order['shipping_address'] as { country_code?: string } | undefined)?.country_code ?? '') as string,
    headers: {
      'content-type': 'application/json',
      'x-shopify-topic': 'orders/create',
      'x-shopify-shop-domain': 'harbour-quill.myshopify.com',
      'x-shopify-api-version': '2025-07',
      'x-shopify-webhook-id': randomUUID(),
      'x-shopify-hmac-sha256': createHmac('sha256', E2E_SHOPIFY_SECRET).update(body, 'utf8').digest('base64'),
    },
  };
}

/** Text of a locator, whitespace collapsed. */
export async function textOf(page: Page, selector: string): Promise<string> {
  return ((await page.locator(selector).first().textContent()) ?? '').replace(/\s+/g, ' ').trim();
}

/**
 * Below the hero the dashboard builds each part when it comes into view (`@defer (on viewport)`): bring
 * each part still waiting into view, one after another, until none waits and the last one (the data
 * sources) is there, then go back to the top. Scrolling by a fixed stride could jump over a part shorter
 * than the stride, and that part would never be built (CI's fonts gave such a layout).
 */
export async function revealEveryCard(page: Page): Promise<void> {
  const waiting = page.locator('mt-dashboard-page > .placeholder');
  await expect(async () => {
    if ((await waiting.count()) > 0) await waiting.first().scrollIntoViewIfNeeded({ timeout: 1_000 });
    await expect(waiting).toHaveCount(0, { timeout: 1_000 });
    await expect(page.getByTestId('sources')).toBeAttached({ timeout: 1_000 });
  }).toPass({ timeout: 60_000 });
  for (const card of [
    'titles-card',
    'spotify-quarters',
    'spotify-minutes',
    'spotify-countries',
    'top-countries',
    'platforms',
  ])
    await expect(page.getByTestId(card).locator('mt-skeleton')).toHaveCount(0);
  await page.evaluate(() => window.scrollTo(0, 0));
}

/** The business zone of the e2e app (BUSINESS_TIMEZONE is not set: the default). */
export const BUSINESS_ZONE = 'Europe/Berlin';

/** Inclusive days as the dashboard writes them in en-US: "Nov 1 – 30, 2026", "Nov 7, 2026". */
export function daysText(from: string, to: string): string {
  const format = new Intl.DateTimeFormat('en-US', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
  const day = (iso: string) => new Date(`${iso}T00:00:00Z`);
  const text = from === to ? format.format(day(from)) : format.formatRange(day(from), day(to));
  return text.replace(/[\u2009\u202f]/g, ' ');
}

/** Where a browser test leaves screenshots for a reviewer: test-results/screenshots/<name>.png. */
export function screenshotPath(name: string): string {
  return join(__dirname, '..', '..', 'test-results', 'screenshots', `${name}.png`);
}
