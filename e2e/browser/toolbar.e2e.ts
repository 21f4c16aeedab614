import { expect, test } from '@playwright/test';

test('the dashboard loads with its toolbar and reaches the API', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('banner')).toHaveText('MT Ink Dashboard');
  await expect(page.getByTestId('health-status')).toHaveText('API ok, database up');
});
