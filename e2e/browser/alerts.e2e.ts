import { expect, test } from '@playwright/test';
import type { AlertEventsResponse, AlertRule } from '@mt/contracts';
import { api, freshShopifyOrder, revealEveryCard, signIn } from './dashboard-helpers';

test.use({ locale: 'en-US', timezoneId: 'UTC', viewport: { width: 1366, height: 900 } });

test('an alert rule created in the settings fires on a check and shows in the alerts card', async ({
  page,
  request,
}) => {
  await signIn(page);
  // At least one order this week, whatever day the run falls on.
  const order = freshShopifyOrder();
  expect((await request.post('/api/webhooks/shopify', { data: order.body, headers: order.headers })).status()).toBe(
    200,
  );

  // The demo seed's example rules are listed in the settings.
  await page.goto('/settings');
  const editor = page.locator('mt-alert-rules-editor');
  await expect(editor.getByTestId('alert-rule').filter({ hasText: '100 orders this week' })).toBeVisible();

  const name = `E2E week ${Date.now()}`;
  await editor.getByTestId('alert-rule-kind').selectOption('week_orders');
  await editor.getByTestId('alert-rule-name').fill(name);
  await editor.getByTestId('alert-rule-threshold').fill('1');
  await editor.getByTestId('alert-rule-create').click();
  await expect(editor.getByTestId('alert-rule').filter({ hasText: name })).toContainText(
    'Week orders milestone: ≥ 1 orders in a week',
  );
  const rules = await api<AlertRule[]>(page.request, '/api/alerts');
  expect(rules.find((rule) => rule.name === name)).toMatchObject({ kind: 'week_orders', threshold: 1, enabled: true });

  await page.getByRole('link', { name: 'Back to the dashboard' }).click();
  await expect(page.locator('mt-connection-indicator')).toHaveAttribute('data-status', 'connected');
  await revealEveryCard(page);
  await expect(page.getByTestId('alerts-card')).toBeVisible();
  // The minute job may have fired it first; either way it fires once, and the page hears of it live.
  // A check that meets the minute job's run is answered 409: it is asked again.
  await expect(async () => expect((await page.request.post('/api/alerts/check')).status()).toBe(200)).toPass();
  await expect(page.getByTestId('alert-toast').filter({ hasText: 'milestone 1 reached' })).toBeVisible();
  let fired: AlertEventsResponse['events'][number] | undefined;
  await expect(async () => {
    fired = (await api<AlertEventsResponse>(page.request, '/api/alerts/events?limit=20')).events.find(
      (event) => event.ruleName === name,
    );
    expect(fired).toBeDefined();
  }).toPass();
  expect(fired!.subject).toMatch(/^MT Ink: \d+ orders this week, milestone 1 reached$/);

  const item = page.getByTestId('alert-item').filter({ hasText: fired!.subject });
  await expect(item).toBeVisible();
  // E-mail is not set up in this run.
  await expect(item.getByTestId('alert-delivery')).toHaveText('not configured');
  await expect(item.getByTestId('alert-time')).toHaveText(/^[A-Z][a-z]{2} \d{1,2} \d\d:\d\d$/);
});
