import { expect, test } from '@playwright/test';
import type { GoalSettings } from '@mt/contracts';
import { api, money, signIn } from './dashboard-helpers';

test.use({ locale: 'en-US', timezoneId: 'UTC', viewport: { width: 1366, height: 900 } });

/** Set on the window before a button is pressed: still there afterwards means the page did not reload. */
const markPage = () => ((window as unknown as { notReloaded?: boolean }).notReloaded = true);
const pageMarked = () => (window as unknown as { notReloaded?: boolean }).notReloaded === true;

test('the monthly goal is saved through the settings form and shows on the dashboard goal card', async ({
  page,
}, testInfo) => {
  await signIn(page);
  await page.getByTestId('settings-link').click();
  await expect(page).toHaveURL(/\/settings$/);
  const card = page.locator('mt-goal-settings');
  const field = card.getByLabel('Goal (USD a month, empty for none)');
  const save = card.getByRole('button', { name: 'Save goal' });
  await expect(field).toBeVisible();
  const before = await api<GoalSettings>(page.request, '/api/goals');

  // A bad amount: the field says why, and nothing is saved.
  await page.evaluate(markPage);
  await field.fill('12.345');
  await save.click();
  await expect(card.getByTestId('goal-input-error')).toHaveText(
    'Enter an amount like 5000 or 5000.50: digits, a dot, at most 2 decimals.',
  );
  await expect(card.getByTestId('goal-saved')).toHaveCount(0);
  expect(await api<GoalSettings>(page.request, '/api/goals')).toEqual(before);

  // A good one: saved and said so, on the same page (the form used to reload it instead).
  await field.fill('12345.67');
  await save.click();
  await expect(card.getByTestId('goal-saved')).toHaveText('Saved: the goal is $12,345.67 a month.');
  await expect(card.getByTestId('goal-input-error')).toHaveCount(0);
  expect(await page.evaluate(pageMarked)).toBe(true);
  await expect(page).toHaveURL(/\/settings$/);
  expect(await api<GoalSettings>(page.request, '/api/goals')).toMatchObject({
    currency: 'USD',
    monthlyRevenue: 12345.67,
  });
  const screenshot = testInfo.outputPath('settings-goal-saved.png');
  await page.screenshot({ path: screenshot, fullPage: true });
  await testInfo.attach('settings after saving the goal', { path: screenshot, contentType: 'image/png' });

  // It is still there after a reload, and the dashboard's goal card measures against it.
  await page.reload();
  await expect(field).toHaveValue('12345.67');
  await page.getByRole('link', { name: 'Back to the dashboard' }).click();
  await expect(page.getByTestId('goal-target')).toHaveText(money(12345.67));

  // Emptying the field (and pressing Enter in it) removes the goal.
  await page.getByTestId('settings-link').click();
  await field.fill('');
  await field.press('Enter');
  await expect(card.getByTestId('goal-saved')).toHaveText('Saved: no monthly goal.');
  await page.getByRole('link', { name: 'Back to the dashboard' }).click();
  await expect(page.getByTestId('goal-card')).toContainText('No goal set for');
  expect((await api<GoalSettings>(page.request, '/api/goals')).monthlyRevenue).toBeNull();
});
