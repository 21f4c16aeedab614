import { expect, test } from '@playwright/test';

test('the app shell loads with its toolbar and reaches the API', async ({ page, request }) => {
  await page.goto('/');
  await expect(page.getByRole('banner').locator('.brand')).toHaveText('MT Ink Dashboard');
  const health = await request.get('/api/health');
  expect(((await health.json()) as { status: string }).status).toBe('ok');
});
