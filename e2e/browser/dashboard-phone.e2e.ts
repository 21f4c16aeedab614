import { expect, test } from '@playwright/test';
import { revealEveryCard, signIn } from './dashboard-helpers';

test.use({ locale: 'en-US', timezoneId: 'UTC', viewport: { width: 375, height: 812 }, hasTouch: true });

test('on a 375 px phone the first screen shows the hero, with the controls folded away', async ({ page }) => {
  await signIn(page);
  const hero = await page.getByTestId('hero-revenue').boundingBox();
  expect(hero!.y + hero!.height).toBeLessThanOrEqual(812);
  await expect(page.getByTestId('hero-orders')).toBeInViewport();
  // The range and the toolbar's controls are one tap away, not on the first screen.
  await expect(page.getByTestId('range-preset')).toBeHidden();
  await expect(page.getByTestId('presenter-toggle')).toBeHidden();
  await expect(page.getByTestId('range-menu')).toContainText('Last 30 days');
  await page.getByTestId('range-menu').click();
  await expect(page.getByTestId('range-menu')).toHaveAttribute('aria-expanded', 'true');
  await page.getByTestId('range-preset').selectOption('last-7-days');
  await expect(page).toHaveURL(/range=last-7-days/);
  await expect(page.getByTestId('range-menu')).toContainText('Last 7 days');
  await expect(page.getByTestId('range-preset')).toBeHidden();

  await page.getByTestId('phone-menu').click();
  const menu = page.getByTestId('phone-menu-panel');
  await expect(menu.getByRole('link', { name: 'Settings' })).toBeVisible();
  await menu.getByRole('button', { name: 'Switch to light theme' }).click();
  await expect(page.locator('html')).toHaveClass(/light-theme/);
  await expect(menu).toBeHidden();
});

test.describe('with the answers replaced', () => {
  // A service worker's fetches would pass the page's routes by.
  test.use({ serviceWorkers: 'block' });

  test('on a 375 px phone a change of five digits still fits beside the hero figures', async ({ page }) => {
    // Early in the day a few orders against yesterday's one make changes of thousands of per cent.
    await page.route('**/api/comparison/today-vs-yesterday', async (route) => {
      const response = await route.fetch();
      const body = (await response.json()) as { change: { orders: number | null; revenue: number | null } };
      body.change = { orders: 99_999, revenue: 12_345.6 };
      await route.fulfill({ response, json: body });
    });
    await signIn(page);
    await expect(page.getByTestId('hero-revenue-change')).toHaveText(/↑ \+12,345\.6%\s+vs yesterday/);
    await expect(page.getByTestId('hero-orders-change')).toHaveText(/↑ \+99,999%\s+vs yesterday/);
    const width = await page.evaluate(() => document.documentElement.clientWidth);
    for (const id of ['hero-orders-change', 'hero-revenue-change']) {
      const box = (await page.getByTestId(id).boundingBox())!;
      expect(box.x + box.width, id).toBeLessThanOrEqual(width);
    }
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
  });
});

test('on a 375 px phone nothing scrolls sideways, and every money column is whole and on screen', async ({ page }) => {
  await signIn(page);
  await revealEveryCard(page);
  await page.getByTestId('spotify-minutes').scrollIntoViewIfNeeded();
  await expect(page.getByTestId('spotify-minutes').locator('canvas')).toBeVisible();
  await expect(page.getByTestId('daily-aov-table')).toBeVisible();

  const layout = await page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const wider: string[] = [];
    const scrollsSideways: string[] = [];
    const unreachable: string[] = [];
    const name = (el: Element) =>
      `${el.tagName.toLowerCase()}${el.getAttribute('data-testid') ? `[${el.getAttribute('data-testid')}]` : ''}.${Array.from(el.classList).join('.')} in ${el.closest('[data-testid]')?.getAttribute('data-testid')}`;
    for (const el of Array.from(document.querySelectorAll('body *'))) {
      const box = el.getBoundingClientRect();
      const style = getComputedStyle(el);
      // The skip link waits off-screen until it is focused, on purpose.
      if (style.visibility === 'hidden' || box.width === 0 || el.classList.contains('skip-link')) continue;
      if (box.right > width + 0.5 || box.left < -0.5) wider.push(name(el));
      if (/(auto|scroll)/.test(style.overflowX) && el.scrollWidth > el.clientWidth + 1) scrollsSideways.push(name(el));
      // A region that scrolls (down, as the day-by-day list does) is reachable with the keyboard.
      if (/(auto|scroll)/.test(style.overflowY) && el.scrollHeight > el.clientHeight + 1 && el.tagName !== 'HTML')
        if ((el as HTMLElement).tabIndex < 0) unreachable.push(name(el));
    }
    // Every amount of every table: whole (not cut by an ellipsis or its cell) and inside its card.
    const cut: string[] = [];
    for (const cell of Array.from(document.querySelectorAll('table .amount'))) {
      const box = cell.getBoundingClientRect();
      const card = cell.closest('mat-card')!.getBoundingClientRect();
      const visible = getComputedStyle(cell).display !== 'none';
      if (!visible || box.width === 0) cut.push(`${name(cell)} hidden`);
      else if (box.left < card.left || box.right > card.right || cell.scrollWidth > cell.clientWidth + 1)
        cut.push(`${name(cell)} "${cell.textContent?.trim()}"`);
    }
    return {
      page: { scroll: document.documentElement.scrollWidth, body: document.body.scrollWidth, width },
      wider,
      scrollsSideways,
      unreachable,
      cut,
      amounts: document.querySelectorAll('table .amount').length,
    };
  });
  // The elements that stick out first: they name what makes the page scroll sideways.
  expect(layout.wider).toEqual([]);
  expect(layout.page.scroll).toBeLessThanOrEqual(layout.page.width);
  expect(layout.page.body).toBeLessThanOrEqual(layout.page.width);
  expect(layout.scrollsSideways).toEqual([]);
  expect(layout.unreachable).toEqual([]);
  expect(layout.cut).toEqual([]);
  // Countries, platforms, the days of the range, the quarters and the weeks of minutes: all their money.
  expect(layout.amounts).toBeGreaterThan(40);

  // The Spotify country table shows the newest weeks (and the total over all eight), not the oldest.
  const weeks = page.getByTestId('spotify-countries-table').locator('thead th');
  const shown = await weeks.evaluateAll((cells) =>
    cells.filter((cell) => getComputedStyle(cell).display !== 'none').map((cell) => cell.textContent?.trim()),
  );
  const all = await weeks.allTextContents();
  expect(shown).toEqual([all[0]!.trim(), ...all.slice(-4).map((text) => text.trim())]);
});
