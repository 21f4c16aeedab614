import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import type { ImportHistoryResponse } from '@mt/contracts';
import { statementWorkbook } from '../../apps/api/src/spotify/fixtures/statement-workbook';
import { api, revealEveryCard, signIn } from './dashboard-helpers';

test.use({ locale: 'en-US', timezoneId: 'UTC', viewport: { width: 1366, height: 900 } });

const ORDER_FIXTURES = join(__dirname, '..', '..', 'apps', 'api', 'src', 'orders', 'fixtures');
const shopifyExport = () => ({
  name: 'shopify-orders-export.csv',
  mimeType: 'text/csv',
  buffer: readFileSync(join(ORDER_FIXTURES, 'shopify-orders-export.csv')),
});

test('a Shopify export and a Spotify report dropped together: each says what it is and what it did', async ({
  page,
}) => {
  await signIn(page);
  await revealEveryCard(page);
  const panel = page.getByTestId('upload-panel');
  // A weekly report of its own (a title of this run), so that it is new whatever ran before.
  const title = `Intake Test ${Date.now()}`;
  const weekly = [
    'Week starting,Title,ISBN,Country,Total listen minutes,Completed listen equivalents',
    `2025-04-28,${title},,US,"1,200",2.26`,
    `2025-04-28,${title},,GB,300,0.57`,
  ].join('\n');
  await panel
    .getByTestId('upload-input')
    .setInputFiles([
      shopifyExport(),
      { name: 'spotify-weekly.csv', mimeType: 'text/csv', buffer: Buffer.from(weekly) },
    ]);

  const rows = panel.getByTestId('upload-row');
  await expect(rows).toHaveCount(2);
  const shopify = rows.nth(0);
  await expect(shopify).toContainText('shopify-orders-export.csv');
  await expect(shopify.getByTestId('upload-state')).toHaveText('Imported');
  await expect(shopify.getByTestId('upload-recognised')).toHaveText('Shopify orders export, 4 orders');
  await expect(shopify.getByTestId('upload-summary')).toHaveText('5 rows read: 4 new, 0 changed, 0 unchanged');
  const spotify = rows.nth(1);
  await expect(spotify.getByTestId('upload-state')).toHaveText('Imported');
  await expect(spotify.getByTestId('upload-recognised')).toHaveText('Spotify weekly stats, 2 rows');
  await expect(spotify.getByTestId('upload-summary')).toHaveText('2 rows read: 2 new, 0 changed');

  // The import history lists both, newest first: each file of an upload is written in the order it was dropped.
  const history = panel.getByTestId('import-entry');
  await expect(history.nth(0)).toContainText('spotify-weekly.csv');
  await expect(history.nth(0)).toContainText('Spotify weekly stats, 2 rows: 2 new, 0 changed');
  await expect(history.nth(1)).toContainText('shopify-orders-export.csv');
  await expect(history.nth(1)).toContainText('Shopify orders export, 4 orders: 4 new, 0 changed, 0 unchanged');
  await expect(history.nth(1)).toContainText('by admin@e2e.test');
  const imports = await api<ImportHistoryResponse>(page.request, '/api/imports?limit=2');
  expect(imports.imports.map((entry) => [entry.file, entry.kind, entry.status])).toEqual([
    ['spotify-weekly.csv', 'spotify', 'imported'],
    ['shopify-orders-export.csv', 'orders', 'imported'],
  ]);

  // A file the intake does not know is refused with a sentence, and does not hide the file beside it.
  await panel
    .getByTestId('upload-input')
    .setInputFiles([
      { name: 'notes.csv', mimeType: 'text/csv', buffer: Buffer.from('Customer,Comment\nAnna,lovely\n') },
      shopifyExport(),
    ]);
  await expect(rows).toHaveCount(4);
  await expect(rows.nth(2).getByTestId('upload-state')).toHaveText('Rejected');
  await expect(rows.nth(2).getByTestId('upload-errors')).toHaveText(
    'We could not tell what this file is: expected an order export of Shopify, WooCommerce, Etsy, Amazon or eBay, a Spotify report, or an exchange-rate file. Its first line was: Customer, Comment',
  );
  await expect(rows.nth(3).getByTestId('upload-state')).toHaveText('Imported');
  await expect(rows.nth(3).getByTestId('upload-summary')).toHaveText('5 rows read: 0 new, 0 changed, 4 unchanged');
});

test('a royalty statement dropped in the browser turns its month from estimated to confirmed', async ({ page }) => {
  await signIn(page);
  // Last month, with listening minutes of a title of this run, then its statement.
  const now = new Date();
  const last = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
  const month = last.toISOString().slice(0, 7);
  const title = `Statement Test ${Date.now()}`;
  const monthly = ['Month,Title,ISBN,Country,Total listen minutes', `${month},${title},,US,"2,000"`].join('\n');
  await revealEveryCard(page);
  const panel = page.getByTestId('upload-panel');
  await panel
    .getByTestId('upload-input')
    .setInputFiles([{ name: 'monthly.csv', mimeType: 'text/csv', buffer: Buffer.from(monthly) }]);
  await expect(panel.getByTestId('upload-row').first().getByTestId('upload-state')).toHaveText('Imported');
  await page.reload();
  await revealEveryCard(page);
  const row = page.getByTestId('spotify-money').getByTestId('month-row').filter({ hasText: month });
  await expect(row).toHaveAttribute('data-status', 'estimated');
  await expect(row.getByTestId('month-status')).toHaveAttribute('title', /no statement yet/);

  const statement = await statementWorkbook({
    month,
    invoiceDate: `${month}-28`,
    dueDate: `${month}-28`,
    channels: {
      Pool: [{ title, salesType: 'Pool', partner: 'Spotify', territory: 'US', payable: 21.5 }],
      Retail: [{ title, salesType: 'Retail', partner: 'Google Play', territory: 'GB', payable: 4.8 }],
    },
  });
  await panel.getByTestId('upload-input').setInputFiles([
    {
      name: 'digital-royalty.xlsx',
      mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      buffer: statement,
    },
  ]);
  const uploaded = panel.getByTestId('upload-row').filter({ hasText: 'digital-royalty.xlsx' });
  await expect(uploaded.getByTestId('upload-state')).toHaveText('Imported');
  await expect(uploaded.getByTestId('upload-recognised')).toHaveText(
    new RegExp(`^Digital Royalty statement for ${month}, 2 lines`),
  );
  await expect(row).toHaveAttribute('data-status', 'confirmed');
  await expect(row.getByTestId('month-status')).toHaveAttribute(
    'title',
    /statement digital-royalty\.xlsx, uploaded on .* by admin@e2e\.test/,
  );
});
