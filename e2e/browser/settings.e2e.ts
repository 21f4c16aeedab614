import { expect, test } from '@playwright/test';
import type { GoalSettings } from '@mt/contracts';
import { api, money, revealEveryCard, signIn } from './dashboard-helpers';

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
  await revealEveryCard(page);
  await expect(page.getByTestId('goal-target')).toHaveText(money(12345.67));

  // Emptying the field (and pressing Enter in it) removes the goal.
  await page.getByTestId('settings-link').click();
  await field.fill('');
  await field.press('Enter');
  await expect(card.getByTestId('goal-saved')).toHaveText('Saved: no monthly goal.');
  await page.getByRole('link', { name: 'Back to the dashboard' }).click();
  await revealEveryCard(page);
  await expect(page.getByTestId('goal-card')).toContainText('No goal set for');
  expect((await api<GoalSettings>(page.request, '/api/goals')).monthlyRevenue).toBeNull();
});

test('an API token created in the settings works in Swagger, shows its last use, and stops working when revoked', async ({
  page,
  browser,
}) => {
  await signIn(page);
  page.on('dialog', (dialog) => void dialog.accept());
  await page.goto('/settings');
  const card = page.getByTestId('tokens-card');
  const name = `E2E script ${Date.now()}`;
  await card.getByTestId('token-name').fill(name);
  await card.getByRole('button', { name: 'Create token' }).click();
  const secret = ((await card.getByTestId('token-secret').textContent()) ?? '').trim();
  expect(secret.length).toBeGreaterThan(20);
  const row = card.locator(`[data-testid="token-row"][data-name="${name}"]`);
  await expect(row.getByTestId('token-last-used')).toHaveText('never used');

  // Swagger, in a browser that is not signed in: Authorize with the token, then ask who is there.
  const context = await browser.newContext({ locale: 'en-US' });
  const swagger = await context.newPage();
  await swagger.goto('/api/docs');
  await swagger.getByRole('button', { name: 'Authorize' }).first().click();
  const bearer = swagger.locator('.auth-container').filter({ hasText: 'Bearer' });
  await bearer.locator('input').fill(secret);
  await bearer.getByRole('button', { name: 'Apply credentials' }).click();
  await expect(bearer.getByRole('button', { name: 'Remove authorization' })).toBeVisible();
  await swagger.locator('.close-modal').click();
  const me = swagger.locator('.opblock-get').filter({ hasText: '/api/auth/me' }).first();
  await me.locator('.opblock-summary').click();
  await me.getByRole('button', { name: 'Try it out' }).click();
  await me.getByRole('button', { name: 'Execute' }).click();
  const live = me.locator('.live-responses-table');
  await expect(live.locator('tbody .response-col_status')).toHaveText(/^200\b/);
  await expect(live.locator('tbody .response-col_description')).toContainText('"via": "token"');

  // The settings say it was used, and its revocation takes effect on the next request.
  await page.reload();
  await expect(row.getByTestId('token-last-used')).toHaveText('last used just now');
  await row.getByTestId('token-revoke').click();
  await expect(row.getByTestId('token-status')).toHaveText('Revoked');
  await me.getByRole('button', { name: 'Execute' }).click();
  await expect(live.locator('tbody .response-col_status')).toHaveText(/^401\b/);
  await context.close();
});

test('an admin invites a user, changes the role and removes them in the settings', async ({ page, browser }) => {
  await signIn(page);
  page.on('dialog', (dialog) => void dialog.accept());
  await page.goto('/settings');
  const card = page.getByTestId('users-card');
  const email = `staff-${Date.now()}@e2e.test`;
  await card.getByTestId('invite-email').fill(email);
  await card.getByTestId('invite-name').fill('Staff Member');
  await card.getByTestId('invite-password').fill('staff-password-1');
  await card.getByRole('button', { name: 'Invite' }).click();
  await expect(card.getByTestId('invite-done')).toHaveText(`${email} can sign in now.`);
  const row = card.locator(`[data-testid="user-row"][data-email="${email}"]`);
  await expect(row).toContainText('Staff Member');
  await expect(row.getByTestId('user-role')).toContainText('Viewer (read-only)');

  // The new user signs in, as a viewer: settings hold only the notifications of their own device.
  const context = await browser.newContext({ locale: 'en-US' });
  const staff = await context.newPage();
  await signIn(staff, { email, password: 'staff-password-1' });
  await staff.getByTestId('settings-link').click();
  await expect(staff.getByTestId('push-card')).toBeVisible();
  await expect(staff.getByTestId('users-card')).toHaveCount(0);

  await row.getByTestId('user-role').click();
  await page.getByRole('option', { name: 'Admin' }).click();
  await expect(row.getByTestId('user-role')).toContainText('Admin');
  const users = await api<{ users: Array<{ email: string; role: string }> }>(page.request, '/api/users');
  expect(users.users.find((user) => user.email === email)?.role).toBe('admin');
  await staff.reload();
  await expect(staff.getByTestId('users-card')).toBeVisible();

  await row.getByTestId('user-remove').click();
  await expect(row).toHaveCount(0);
  // Removed: their session has ended.
  await staff.reload();
  await expect(staff).toHaveURL(/\/login/);
  await context.close();
});
