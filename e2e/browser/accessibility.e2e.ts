import AxeBuilder from '@axe-core/playwright';
import { Page, expect, test } from '@playwright/test';
import { revealEveryCard, screenshotPath, signIn } from './dashboard-helpers';

test.use({ locale: 'en-US', timezoneId: 'UTC' });

const WIDTHS = [
  { name: 'desktop', width: 1440, height: 900 },
  { name: 'phone', width: 375, height: 812 },
] as const;
const THEMES = ['dark', 'light'] as const;

/** axe's WCAG 2.1 A/AA rules; what a person would be stopped by (serious, critical) must be nothing. */
async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map(
      (violation) =>
        `${violation.id} (${violation.impact}): ${violation.nodes
          .slice(0, 5)
          .map((node) => node.target.join(' '))
          .join(', ')}`,
    );
}

for (const size of WIDTHS) {
  for (const theme of THEMES) {
    test.describe(`${size.name} (${size.width} px), ${theme} theme`, () => {
      test.use({ viewport: { width: size.width, height: size.height } });
      test.beforeEach(async ({ context }) => {
        await context.addInitScript((chosen) => localStorage.setItem('mtink.theme', chosen), theme);
      });

      test('the sign-in page: no serious accessibility violation; screenshot', async ({ page }) => {
        await page.goto('/login');
        await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
        expect(await seriousViolations(page)).toEqual([]);
        await page.screenshot({ path: screenshotPath(`login-${size.width}-${theme}`), fullPage: true });
      });

      test('the dashboard, every card shown: no serious accessibility violation; screenshots', async ({ page }) => {
        await signIn(page);
        await expect(page.locator('html')).toHaveClass(theme === 'light' ? /light-theme/ : /^(?!.*light-theme)/);
        await expect(page.getByTestId('hourly-chart').locator('canvas')).toBeVisible();
        await page.screenshot({ path: screenshotPath(`dashboard-first-screen-${size.width}-${theme}`) });
        await revealEveryCard(page);
        await page.getByTestId('spotify-minutes').scrollIntoViewIfNeeded();
        await expect(page.getByTestId('spotify-minutes').locator('canvas')).toBeVisible();
        await page.evaluate(() => window.scrollTo(0, 0));
        expect(await seriousViolations(page)).toEqual([]);
        await page.screenshot({ path: screenshotPath(`dashboard-${size.width}-${theme}`), fullPage: true });

        // With the range's controls open (on a phone they fold away) and a chart's tooltip showing.
        if (size.name === 'phone') await page.getByTestId('range-menu').click();
        await page.getByTestId('hourly-chart').locator('canvas').focus();
        await page.keyboard.press('End');
        await expect(page.getByTestId('hourly-chart').getByTestId('chart-tooltip')).toBeVisible();
        expect(await seriousViolations(page)).toEqual([]);
      });

      test('the settings: no serious accessibility violation; screenshot', async ({ page }) => {
        await signIn(page);
        await page.goto('/settings');
        await expect(page.getByTestId('tokens-card').getByTestId('token-form')).toBeVisible();
        await expect(page.getByTestId('users-list')).toBeVisible();
        await expect(page.locator('mt-settings-page mt-skeleton')).toHaveCount(0);
        expect(await seriousViolations(page)).toEqual([]);
        await page.screenshot({ path: screenshotPath(`settings-${size.width}-${theme}`), fullPage: true });
      });
    });
  }
}
