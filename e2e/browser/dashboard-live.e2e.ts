import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import type { TodayVsYesterdayResponse } from '@mt/contracts';
import { SAMPLES, api, count, freshShopifyOrder, money, signIn, textOf } from './dashboard-helpers';

test.use({ locale: 'en-US', timezoneId: 'UTC', viewport: { width: 1366, height: 900 } });

test('a signed webhook posted now pops a notification and changes the hero card', async ({ page, request }) => {
  await signIn(page);
  await expect(page.locator('mt-connection-indicator')).toHaveAttribute('data-status', 'connected');
  const before = await api<TodayVsYesterdayResponse>(page.request, '/api/comparison/today-vs-yesterday');
  await expect(page.getByTestId('hero-orders')).toHaveText(count(before.today.orders));

  const order = freshShopifyOrder();
  const delivery = await request.post('/api/webhooks/shopify', { data: order.body, headers: order.headers });
  expect(delivery.status()).toBe(200);

  // One assertion for all the toast says: it is on screen for 5 s only, and each check is a round trip.
  const toast = page.getByTestId('order-toast');
  await expect(toast).toHaveText(new RegExp(`New order\\s*${escapeRegExp(money(order.total))}\\s*Shopify ·`));
  await expect(page.getByTestId('hero-orders')).toHaveText(count(before.today.orders + 1));
  const after = await api<TodayVsYesterdayResponse>(page.request, '/api/comparison/today-vs-yesterday');
  expect(after.today.orders).toBe(before.today.orders + 1);
  await expect(page.getByTestId('hero-revenue')).toHaveText(money(after.today.revenue, after.currency));
  // It goes away on its own after 5 s (the limit only bounds the wait; its 5 s are the unit spec's).
  await expect(toast).toHaveCount(0);
});

test('uploading Spotify reports shows each file with its outcome, and a second upload says "already imported"', async ({
  page,
}) => {
  await signIn(page);
  const panel = page.getByTestId('upload-panel');
  await panel
    .getByTestId('upload-input')
    .setInputFiles([join(SAMPLES, 'spotify-weekly-stats.csv'), join(SAMPLES, 'spotify-revenue-report.xlsx')]);
  const rows = panel.getByTestId('upload-row');
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(0).getByTestId('upload-state')).toHaveText(/Imported|Already imported/);
  await expect(rows.nth(1).getByTestId('upload-state')).toHaveText(/Imported|Already imported/);
  await expect(rows.nth(0)).toContainText('spotify-weekly-stats.csv');

  await panel.getByTestId('upload-input').setInputFiles(join(SAMPLES, 'spotify-weekly-stats.csv'));
  await expect(rows).toHaveCount(3);
  await expect(rows.nth(2).getByTestId('upload-state')).toHaveText('Already imported');
  await expect(rows.nth(2).getByTestId('upload-message')).toContainText(/already imported/i);

  // A file that is not a report: rejected, with the reason readable.
  await panel
    .getByTestId('upload-input')
    .setInputFiles({ name: 'notes.csv', mimeType: 'text/csv', buffer: Buffer.from('Hello,World\n1,2\n') });
  await expect(rows).toHaveCount(4);
  await expect(rows.nth(3).getByTestId('upload-state')).toHaveText('Rejected');
  await expect(rows.nth(3).getByTestId('upload-errors')).not.toBeEmpty();
});

test('a viewer sees no upload panel and no settings; the admin can change the pool rate', async ({ page, browser }) => {
  await signIn(page);
  const viewer = { email: `viewer-${Date.now()}@e2e.test`, password: 'viewer-password-123' };
  const created = await page.request.post('/api/users', { data: { ...viewer, name: 'Viewer', role: 'viewer' } });
  expect(created.status()).toBe(201);

  await page.getByTestId('settings-link').click();
  await expect(page.getByTestId('pool-rate')).toHaveValue(/0\.0\d+/);
  await page.getByTestId('book-minutes').fill('600');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByTestId('settings-saved')).toBeVisible();
  expect(
    (await api<{ averageBookMinutes: number }>(page.request, '/api/spotify/minutes?weeks=12')).averageBookMinutes,
  ).toBe(600);
  await page.getByTestId('book-minutes').fill('530');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByTestId('settings-saved')).toBeVisible();

  const context = await browser.newContext({ locale: 'en-US' });
  const viewerPage = await context.newPage();
  await signIn(viewerPage, viewer);
  await expect(viewerPage.getByTestId('quarters-table')).toBeVisible();
  await expect(viewerPage.getByTestId('upload-panel')).toHaveCount(0);
  await expect(viewerPage.getByTestId('settings-link')).toHaveCount(0);
  await viewerPage.goto('/settings');
  await expect(viewerPage).toHaveURL(/\/$/);
  await context.close();
});

test('desktop and phone: screenshots, and no horizontal scrolling at 375 px', async ({ page }) => {
  await signIn(page);
  await expect(page.getByTestId('quarters-table')).toBeVisible();
  await page.getByTestId('spotify-minutes').scrollIntoViewIfNeeded();
  await expect(page.getByTestId('spotify-minutes').locator('canvas')).toBeVisible();
  await page.screenshot({ path: 'test-results/dashboard-desktop.png', fullPage: true });

  await page.setViewportSize({ width: 375, height: 812 });
  await page.reload();
  await expect(page.getByTestId('quarters-table')).toBeVisible();
  await expect(page.getByTestId('daily-aov-table')).toBeVisible();
  const widths = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    body: document.body.scrollWidth,
    viewport: window.innerWidth,
  }));
  expect(widths.scroll).toBeLessThanOrEqual(widths.viewport);
  expect(widths.body).toBeLessThanOrEqual(widths.viewport);
  expect(await textOf(page, '[data-testid="hero-orders"]')).toMatch(/^\d[\d,]*$/);
  await page.screenshot({ path: 'test-results/dashboard-phone.png', fullPage: true });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
