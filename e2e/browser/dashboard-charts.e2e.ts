import { Locator, expect, test } from '@playwright/test';
import type { HourlyGrowthResponse, SpotifyMinutesResponse } from '@mt/contracts';
import { api, count, money, revealEveryCard, signIn } from './dashboard-helpers';

test.use({ locale: 'en-US', timezoneId: 'UTC', viewport: { width: 1440, height: 900 } });

/** The tooltip's heading and rows ("Today $1,234.56") as shown. */
async function tooltipOf(chart: Locator): Promise<{ title: string; rows: string[] }> {
  const tooltip = chart.getByTestId('chart-tooltip');
  await expect(tooltip).toBeVisible();
  const title = ((await tooltip.locator('.tip-title').textContent()) ?? '').trim();
  const rows = (await tooltip.getByTestId('chart-tooltip-row').allTextContents()).map((row) =>
    row.replace(/\s+/g, ' ').trim(),
  );
  return { title, rows };
}

test("the hero's chart shows today by hour, cumulative, with yesterday, and its tooltip the exact figures", async ({
  page,
}) => {
  await signIn(page);
  const chart = page.getByTestId('hourly-chart');
  const canvas = chart.locator('canvas');
  await expect(canvas).toBeVisible();
  await expect(canvas).toHaveAttribute('aria-label', /^Revenue by hour since midnight: today \$[\d,.]+ so far/);

  // The keyboard's End is the hour now: its figure is today's revenue so far, to the cent.
  await expect(async () => {
    const hourly = await api<HourlyGrowthResponse>(page.request, '/api/growth/hourly');
    const now = hourly.hours.at(-1)!;
    const sameHourYesterday = hourly.comparison.hours.filter((h) => h.hour <= now.hour).at(-1)!;
    await canvas.focus();
    await page.keyboard.press('End');
    const shown = await tooltipOf(chart);
    expect(shown.title).toBe(`Until ${String(now.hour + 1).padStart(2, '0')}:00`);
    expect(shown.rows).toEqual([
      `Today ${money(now.cumulativeRevenue, hourly.currency)}`,
      `Yesterday ${money(sameHourYesterday.cumulativeRevenue, hourly.currency)}`,
    ]);
  }).toPass({ timeout: 30_000 });

  // The mouse shows the same kind of tooltip over the first hour: yesterday's full line is drawn too.
  const hourly = await api<HourlyGrowthResponse>(page.request, '/api/growth/hourly');
  const box = (await canvas.boundingBox())!;
  await page.mouse.move(box.x + box.width - 12, box.y + box.height / 2);
  // The keyboard's tooltip is still there until the page has drawn the pointer's.
  await expect(chart.getByTestId('chart-tooltip').locator('.tip-title')).toHaveText('Until 24:00');
  const late = await tooltipOf(chart);
  expect(late.title).toBe('Until 24:00');
  expect(late.rows.at(-1)).toBe(
    `Yesterday ${money(hourly.comparison.hours.at(-1)!.cumulativeRevenue, hourly.currency)}`,
  );
});

test('every tile has its sparkline and says what its change is against', async ({ page }) => {
  await signIn(page);
  const basis: Record<string, string> = {
    'week-sales': 'vs last week',
    'month-sales': 'vs last month',
    'week-orders': 'vs last week',
    aov: 'vs prior 30 days',
    '30-day-revenue': 'vs prior 30 days',
    'yesterday-total': 'vs day before',
  };
  for (const [key, words] of Object.entries(basis)) {
    const tile = page.getByTestId(`metric-${key}`);
    await expect(tile.getByTestId('metric-change')).toContainText(words);
    await expect(tile.getByTestId('metric-change')).toHaveAttribute(
      'aria-label',
      new RegExp(`^(up|down|unchanged).* ${words}$|^no comparison ${words}$`),
    );
    await expect(tile.getByTestId('metric-spark').locator('canvas')).toBeVisible();
  }
  // A sparkline's tooltip gives the exact figure of a whole week.
  const weeks = await api<{ currency: string; weeks: Array<{ weekStart: string; revenue: number }> }>(
    page.request,
    '/api/growth/weekly?weeks=13',
  );
  const spark = page.getByTestId('metric-week-sales').getByTestId('metric-spark');
  await spark.locator('canvas').focus();
  await page.keyboard.press('End');
  const lastWhole = weeks.weeks.at(-2)!;
  const shown = await tooltipOf(spark);
  expect(shown.rows).toEqual([`Week sales ${money(lastWhole.revenue, weeks.currency)}`]);
});

test('the Spotify minutes chart has tooltips with the exact minutes of each week', async ({ page }) => {
  await signIn(page);
  const minutes = await api<SpotifyMinutesResponse>(page.request, '/api/spotify/minutes?weeks=12');
  const card = page.getByTestId('spotify-minutes');
  await revealEveryCard(page);
  await card.scrollIntoViewIfNeeded();
  await expect(card.locator('canvas')).toBeVisible();
  await card.locator('canvas').focus();
  await page.keyboard.press('Home');
  const first = await tooltipOf(card);
  expect(first.rows).toEqual([`Minutes ${count(minutes.weeks[0]!.minutes)}`]);
  await page.keyboard.press('ArrowRight');
  const second = await tooltipOf(card);
  expect(second.rows).toEqual([`Minutes ${count(minutes.weeks[1]!.minutes)}`]);
});
