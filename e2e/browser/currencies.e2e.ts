import { createHmac, randomUUID } from 'node:crypto';
import { expect, test } from '@playwright/test';
import type { FxStatusResponse } from '@mt/contracts';
import { E2E_SHOPIFY_SECRET } from '../playwright.config';
import { api, freshShopifyOrder, signIn } from './dashboard-helpers';

test.use({ locale: 'en-US', timezoneId: 'UTC', viewport: { width: 1366, height: 900 } });

/** The sample order made a shop in ZAR (the demo ships no ZAR rates), signed as Shopify signs it. */
function zarOrder(): { body: string; headers: Record<string, string> } {
  const order = JSON.parse(freshShopifyOrder().body) as Record<string, unknown>;
  order['currency'] = 'ZAR';
  const body = JSON.stringify(order, (key, value: unknown) =>
    key === 'shop_money' ? { ...(value as object), currency_code: 'ZAR' } : value,
  );
  return {
    body,
    headers: {
      'content-type': 'application/json',
      'x-shopify-topic': 'orders/create',
      'x-shopify-shop-domain': 'harbour-quill.myshopify.com',
      'x-shopify-webhook-id': randomUUID(),
      'x-shopify-hmac-sha256': createHmac('sha256', E2E_SHOPIFY_SECRET).update(body, 'utf8').digest('base64'),
    },
  };
}

test('an order without a rate is flagged on the dashboard, and the rate added in Settings → Currencies converts it', async ({
  page,
  request,
}) => {
  await signIn(page);
  const order = zarOrder();
  expect((await request.post('/api/webhooks/shopify', { data: order.body, headers: order.headers })).status()).toBe(
    200,
  );
  const waiting = await api<FxStatusResponse>(page.request, '/api/fx/status');
  const day = waiting.warnings[0]!.missing.find((entry) => entry.currency === 'ZAR')!.days.at(-1)!;

  const warning = page.getByTestId('hero-warning').filter({ hasText: 'ZAR' });
  await expect(warning).toContainText(`no rate for ZAR on ${day}`);
  await warning.getByRole('link', { name: 'Currencies' }).click();
  await expect(page).toHaveURL(/\/settings#currencies$/);

  const card = page.locator('mt-currencies-card');
  await expect(card.getByTestId('fx-source')).toContainText('The daily ECB fetch is off');
  const row = card.locator('tr[data-currency="ZAR"]');
  await expect(row).toContainText('none');
  await expect(row).toContainText('1 orders');
  await expect(card.getByTestId('fx-fetch-now')).toBeDisabled();

  await card.getByTestId('fx-rate-date').fill(day);
  await card.getByTestId('fx-rate-currency').fill('zar');
  await card.getByTestId('fx-rate-value').fill('0.0541');
  await card.getByRole('button', { name: 'Add rate' }).click();
  await expect(card.getByTestId('fx-message')).toHaveText('Rate added: 1 orders and 0 refunds converted.');
  await expect(row).toContainText(day);
  await expect(row).toContainText('0 orders');

  await page.getByRole('link', { name: 'Back to the dashboard' }).click();
  await expect(page.getByTestId('hero-orders')).toBeVisible();
  await expect(page.getByTestId('hero-warning').filter({ hasText: 'ZAR' })).toHaveCount(0);
});
