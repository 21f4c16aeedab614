import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import type { TodayVsYesterdayResponse } from '@mt/contracts';
import { SAMPLES, api, count, freshShopifyOrder, money, revealEveryCard, signIn } from './dashboard-helpers';

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
  // One line, spaced: number, the first line item's title, amount, country.
  const country = new Intl.DisplayNames(['en-US'], { type: 'region' }).of(order.country);
  await expect(toast.getByTestId('toast-text')).toHaveText(
    `New order ${order.name} · ${order.firstTitle} · ${money(order.total)} · ${country}`,
  );
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
  await revealEveryCard(page);
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

test('a viewer sees no upload panel and no admin settings; the admin can change the pool rate', async ({
  page,
  browser,
}) => {
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
  await revealEveryCard(viewerPage);
  await expect(viewerPage.getByTestId('quarters-table')).toBeVisible();
  await expect(viewerPage.getByTestId('upload-panel')).toHaveCount(0);
  // Settings holds only what is the viewer's own: notifications on this device.
  await viewerPage.getByTestId('settings-link').click();
  await expect(viewerPage.getByTestId('push-card')).toBeVisible();
  await expect(viewerPage.getByTestId('pool-rate')).toHaveCount(0);
  await expect(viewerPage.getByTestId('users-card')).toHaveCount(0);
  await context.close();
});

test('offline: one bar with the time of the figures and no error on the cards; live again when the network is back', async ({
  page,
  context,
  request,
}) => {
  await signIn(page);
  await expect(page.locator('mt-connection-indicator')).toHaveAttribute('data-status', 'connected');
  const asOf = /as of (\d\d:\d\d)/.exec((await page.getByTestId('hero-as-of').textContent()) ?? '')![1]!;
  const heroOrders = await page.getByTestId('hero-orders').textContent();

  await context.setOffline(true);
  await expect(page.getByTestId('offline-bar')).toHaveText(`offline — figures as of ${asOf}`);
  // Whatever asks the API now gets no answer: the figures stay, and no card shows an error of its own.
  await page.getByTestId('range-preset').selectOption('last-week');
  await page.getByTestId('compare-yoy').click();
  await expect(page).toHaveURL(/range=last-week&compare=yoy/);
  await expect(page.getByTestId('offline-bar')).toHaveCount(1);
  await expect(page.getByRole('alert')).toHaveCount(0);
  await expect(page.getByTestId('hero-orders')).toHaveText(heroOrders!);

  await context.setOffline(false);
  await expect(page.getByTestId('offline-bar')).toHaveCount(0);
  await expect(page.locator('mt-connection-indicator')).toHaveAttribute('data-status', 'connected');
  // The cards asked again: the range card is on last week, year over year, without a reload.
  await expect(page.getByTestId('range-windows')).toContainText('(year over year)');
  // And live: a new order pops up.
  const order = freshShopifyOrder();
  expect((await request.post('/api/webhooks/shopify', { data: order.body, headers: order.headers })).status()).toBe(
    200,
  );
  await expect(page.getByTestId('order-toast').getByTestId('toast-text')).toContainText(order.name);
  await expect(page.getByRole('alert')).toHaveCount(0);
});
