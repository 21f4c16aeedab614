import { Page, expect, test } from '@playwright/test';
import type {
  CountriesResponse,
  DailyGrowthResponse,
  PeriodComparisonResponse,
  PlatformsResponse,
} from '@mt/contracts';
import { addDays, formatLocalDate, localDate, parseLocalDate } from '@mt/periods';
import { BUSINESS_ZONE, api, count, daysText, money, revealEveryCard, signIn } from './dashboard-helpers';

test.use({ locale: 'en-US', timezoneId: 'UTC', viewport: { width: 1366, height: 900 } });

/** The calendar month before today's in the business zone, as inclusive days. */
function lastMonth(): { from: string; to: string } {
  const { year, month } = parseLocalDate(localDate(new Date(), BUSINESS_ZONE));
  const firstOfThis = formatLocalDate({ year, month, day: 1 });
  const from = formatLocalDate(
    month === 1 ? { year: year - 1, month: 12, day: 1 } : { year, month: month - 1, day: 1 },
  );
  return { from, to: addDays(firstOfThis, -1) };
}

/** Every card with a window shows `from`–`to` compared with `compare`, with the API's figures for them. */
async function expectEveryCardOn(page: Page, from: string, to: string, compare: 'previous' | 'yoy'): Promise<void> {
  const query = `from=${from}&to=${to}&compare=${compare}`;
  const days = daysText(from, to);
  await expect(async () => {
    const range = await api<PeriodComparisonResponse>(
      page.request,
      `/api/comparison/${compare === 'yoy' ? 'yoy' : 'range'}?from=${from}&to=${to}`,
    );
    await expect(page.getByTestId('range-windows')).toContainText(new RegExp(`^${escape(days)} vs `));
    await expect(page.getByTestId('range-windows')).toContainText(
      compare === 'yoy' ? '(year over year)' : '(previous period)',
    );
    await expect(page.getByTestId('range-orders').locator('.line')).toHaveText(
      `${count(range.previous.orders)} → ${count(range.current.orders)} orders`,
      { timeout: 2_000 },
    );
    await expect(page.getByTestId('range-revenue').locator('.line')).toHaveText(
      `${money(range.previous.revenue, range.currency)} → ${money(range.current.revenue, range.currency)}`,
      { timeout: 2_000 },
    );

    const countries = await api<CountriesResponse>(page.request, `/api/countries?${query}&limit=10`);
    const countriesCard = page.getByTestId('top-countries');
    await expect(countriesCard.getByTestId('card-range')).toContainText(new RegExp(`^${escape(days)} vs `));
    await expect(countriesCard.getByTestId('country-revenue')).toHaveText(
      countries.countries.map((c) => money(c.revenue, countries.currency)),
      { timeout: 2_000 },
    );

    const platforms = await api<PlatformsResponse>(page.request, `/api/revenue/platforms?${query}`);
    const platformsCard = page.getByTestId('platforms');
    await expect(platformsCard.getByTestId('card-range')).toContainText(new RegExp(`^${escape(days)} vs `));
    await expect(platformsCard.getByTestId('platform-revenue')).toHaveText(
      platforms.platforms.map((p) => money(p.revenue, platforms.currency)),
      { timeout: 2_000 },
    );

    const daily = await api<DailyGrowthResponse>(page.request, `/api/growth/daily?${query}`);
    const dailyCard = page.getByTestId('daily-aov');
    await expect(dailyCard.getByTestId('card-range')).toContainText(days);
    const rows = dailyCard.locator('tbody tr');
    await expect(rows).toHaveCount(daily.days.length, { timeout: 2_000 });
    await expect(rows.first()).toHaveAttribute('data-date', daily.days.at(-1)!.date);
    await expect(rows.last()).toHaveAttribute('data-date', daily.days[0]!.date);
  }).toPass({ timeout: 60_000 });

  await expect(page.getByTestId('export-orders-csv')).toHaveAttribute(
    'href',
    `/api/export/orders?format=csv&from=${from}&to=${to}`,
  );
  await expect(page.getByTestId('export-daily-xlsx')).toHaveAttribute(
    'href',
    `/api/export/daily?format=xlsx&from=${from}&to=${to}`,
  );
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

test('picking "Last month" moves every card with a window and the URL to it, and the link opens the same view', async ({
  page,
}) => {
  await signIn(page);
  const month = lastMonth();
  await revealEveryCard(page);
  // By default the cards show the last 30 days, today included.
  const today = localDate(new Date(), BUSINESS_ZONE);
  await expect(page.getByTestId('range-preset')).toHaveValue('last-30-days');
  await expectEveryCardOn(page, addDays(today, -29), today, 'previous');

  await page.getByTestId('range-preset').selectOption({ label: 'Last month' });
  await expect(page).toHaveURL(/\/\?range=last-month$/);
  await expectEveryCardOn(page, month.from, month.to, 'previous');

  // Year over year: the same days, compared with 364 days earlier; the URL says so too.
  await page.getByTestId('compare-yoy').click();
  await expect(page).toHaveURL(/\/\?range=last-month&compare=yoy$/);
  await expect(page.getByTestId('compare-yoy')).toHaveAttribute('aria-pressed', 'true');
  await expectEveryCardOn(page, month.from, month.to, 'yoy');

  // The address alone gives the same view: reload it, and open it in a new tab.
  await page.reload();
  await revealEveryCard(page);
  await expect(page.getByTestId('range-preset')).toHaveValue('last-month');
  await expectEveryCardOn(page, month.from, month.to, 'yoy');
  const other = await page.context().newPage();
  await other.goto(page.url());
  await revealEveryCard(other);
  await expectEveryCardOn(other, month.from, month.to, 'yoy');
  await other.close();

  // Back goes to the view before.
  await page.goBack();
  await expect(page).toHaveURL(/\/\?range=last-month$/);
  await expect(page.getByTestId('compare-previous')).toHaveAttribute('aria-pressed', 'true');
});

test('custom days come from a Monday-first calendar and are kept in the URL', async ({ page }) => {
  await signIn(page);
  const today = localDate(new Date(), BUSINESS_ZONE);
  const from = addDays(today, -13);
  const to = addDays(today, -7);
  const typed = (day: string) => {
    const { year, month, day: d } = parseLocalDate(day);
    return `${month}/${d}/${year}`;
  };

  await page.getByTestId('range-days').click();
  const calendar = page.locator('mat-calendar');
  await expect(calendar).toBeVisible();
  await expect(calendar.locator('.mat-calendar-table-header th').first()).toContainText('Monday');
  // Closed without picking (a click beside it): nothing changes; then the days are typed instead.
  await page.locator('.cdk-overlay-backdrop').click();
  await expect(calendar).toHaveCount(0);
  await expect(page).toHaveURL(/\/$/);

  await page.getByTestId('range-start').fill(typed(from));
  await page.getByTestId('range-end').fill(typed(to));
  await page.getByTestId('range-end').press('Tab');
  await expect(page).toHaveURL(new RegExp(`/\\?from=${from}&to=${to}$`));
  await expect(page.getByTestId('range-preset')).toHaveValue('custom');
  await expect(page.getByTestId('range-section').getByRole('heading', { level: 2 })).toHaveText(
    `Sales · ${daysText(from, to)}`,
  );
  await revealEveryCard(page);
  await expectEveryCardOn(page, from, to, 'previous');

  await page.reload();
  await revealEveryCard(page);
  await expectEveryCardOn(page, from, to, 'previous');
});
