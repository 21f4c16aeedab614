import { Page, expect, test } from '@playwright/test';
import type {
  AlertRule,
  CountriesResponse,
  DailyGrowthResponse,
  GoalProgressResponse,
  MetricsSummaryResponse,
  PlatformsResponse,
  SourcesResponse,
  SpotifyCountriesResponse,
  SpotifyMinutesResponse,
  SpotifyQuarterlyProjectionResponse,
  TodayVsYesterdayResponse,
} from '@mt/contracts';
import { addDays, localDate } from '@mt/periods';
import { E2E_ADMIN } from '../playwright.config';
import {
  BUSINESS_ZONE,
  MONEY_TEXT,
  api,
  change,
  count,
  everythingShown,
  freshShopifyOrder,
  money,
  revealEveryCard,
  signIn,
  textOf,
} from './dashboard-helpers';

test.use({ locale: 'en-US', timezoneId: 'UTC', viewport: { width: 1366, height: 900 } });

/** Scrolls to the end so that every deferred card (and the chart) renders, and waits for their figures. */
async function showEveryCard(page: Page): Promise<void> {
  await revealEveryCard(page);
  await expect(page.getByTestId('quarters-table')).toBeVisible();
  await page.getByTestId('spotify-minutes').scrollIntoViewIfNeeded();
  await expect(page.getByTestId('spotify-minutes').locator('canvas')).toBeVisible();
  for (const card of ['goal-card', 'alerts-card', 'top-countries', 'daily-aov', 'platforms', 'sources'])
    await expect(page.getByTestId(card).locator('mt-skeleton')).toHaveCount(0);
  await expect(page.getByTestId('current-rate')).not.toContainText('configured pool rate');
}

test.describe('sign-in', () => {
  test('requires a session: the dashboard sends you to the login page, a wrong password is refused', async ({
    page,
  }) => {
    await page.goto('/');
    await expect(page).toHaveURL(/\/login/);
    await expect(page.getByRole('banner').locator('.brand')).toHaveText('MT Ink Dashboard');
    await page.getByLabel('E-mail').fill(E2E_ADMIN.email);
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByTestId('login-error')).toHaveText('Wrong e-mail or password.');
  });

  test('signs in, shows the live indicator, and signs out again', async ({ page }) => {
    await signIn(page);
    await expect(page.locator('mt-connection-indicator')).toHaveAttribute('data-status', 'connected');
    await page.getByTestId('logout').click();
    await expect(page).toHaveURL(/\/login/);
    await page.goto('/');
    await expect(page).toHaveURL(/\/login/);
  });
});

test.describe('with the demo data', () => {
  test.beforeEach(async ({ page }) => signIn(page));

  test('the sales cards show what the API returns', async ({ page }) => {
    await expect(async () => {
      await page.reload();
      await revealEveryCard(page);
      await expect(page.getByTestId('metric-week-sales').getByTestId('metric-value')).not.toBeEmpty();
      const hero = await api<TodayVsYesterdayResponse>(page.request, '/api/comparison/today-vs-yesterday');
      const summary = await api<MetricsSummaryResponse>(page.request, '/api/metrics/summary');
      const c = summary.currency;
      expect(await textOf(page, '[data-testid="hero-orders"]')).toBe(count(hero.today.orders));
      expect(await textOf(page, '[data-testid="hero-revenue"]')).toBe(money(hero.today.revenue, c));
      expect(await textOf(page, '[data-testid="hero-yesterday-orders"]')).toBe(count(hero.yesterday.orders));
      expect(await textOf(page, '[data-testid="hero-yesterday-revenue"]')).toBe(money(hero.yesterday.revenue, c));
      expect(await textOf(page, '[data-testid="hero-orders-change"]')).toContain(change(hero.change.orders));
      expect(await textOf(page, '[data-testid="hero-yesterday-full"]')).toBe(
        `Yesterday, full day: ${count(hero.yesterdayFullDay.orders)} orders · ${money(hero.yesterdayFullDay.revenue, c)}`,
      );
      const tiles: Array<[string, string]> = [
        ['week-sales', money(summary.week.current.revenue, c)],
        ['month-sales', money(summary.month.current.revenue, c)],
        ['week-orders', count(summary.week.current.orders, 2)],
        ['aov', money(summary.last30Days.current.aov, c)],
        ['30-day-revenue', money(summary.last30Days.current.revenue, c)],
        ['yesterday-total', money(summary.yesterday.current.revenue, c)],
      ];
      for (const [key, value] of tiles)
        expect(await textOf(page, `[data-testid="metric-${key}"] [data-testid="metric-value"]`), key).toBe(value);
      for (const key of ['today', 'week', 'month'] as const) {
        expect(await textOf(page, `[data-testid="aov-${key}"] [data-testid="aov-current"]`)).toBe(
          money(summary[key].current.aov, c),
        );
        expect(await textOf(page, `[data-testid="aov-${key}"] [data-testid="aov-previous"]`)).toBe(
          money(summary[key].previous.aov, c),
        );
      }
      for (const key of ['week', 'month'] as const) {
        expect(await textOf(page, `[data-testid="comparison-${key}"] [data-testid="comparison-orders"]`)).toBe(
          `${count(summary[key].previous.orders)} → ${count(summary[key].current.orders)} orders`,
        );
      }
    }).toPass({ timeout: 120_000 });
  });

  test('the Spotify section shows the quarters, the projection, 12 weeks of minutes and 8 weeks of countries', async ({
    page,
  }) => {
    const projection = await api<SpotifyQuarterlyProjectionResponse>(page.request, '/api/spotify/quarterly-projection');
    const minutes = await api<SpotifyMinutesResponse>(page.request, '/api/spotify/minutes?weeks=12');
    const countries = await api<SpotifyCountriesResponse>(page.request, '/api/spotify/countries?weeks=8');
    await revealEveryCard(page);
    await expect(page.getByTestId('projection-expected')).toHaveText(money(projection.projection.revenue.expected));
    await expect(page.getByTestId('projection-low')).toHaveText(money(projection.projection.revenue.low));
    await expect(page.getByTestId('projection-high')).toHaveText(money(projection.projection.revenue.high));
    const quarterRows = page.getByTestId('quarters-table').locator('tbody tr');
    await expect(quarterRows).toHaveCount(projection.quarters.length);
    for (const [i, q] of projection.quarters.entries()) {
      await expect(quarterRows.nth(i).locator('th, td')).toHaveText([
        q.quarter,
        money(q.revenue, 'USD', 0),
        count(q.minutes),
        count(q.completes, 1),
        money(q.rate, 'USD', 5),
      ]);
    }
    const minuteRows = page.getByTestId('minutes-table').locator('tbody tr');
    await expect(minuteRows).toHaveCount(minutes.weeks.length);
    for (const [i, w] of minutes.weeks.entries()) {
      await expect(minuteRows.nth(i).locator('th, td')).toHaveText([
        w.weekStart,
        count(w.minutes),
        money(w.estimatedRevenue),
        count(w.estimatedCompletes, 1),
      ]);
    }
    // The chart library is loaded when the card scrolls into view.
    await page.getByTestId('spotify-minutes').scrollIntoViewIfNeeded();
    await expect(page.getByTestId('spotify-minutes').locator('canvas')).toBeVisible();
    const countryRows = page.getByTestId('spotify-countries-table').locator('tbody tr');
    await expect(countryRows).toHaveCount(countries.countries.length);
    const first = countries.countries[0]!;
    await expect(countryRows.first().locator('th, td')).toHaveText([
      first.country,
      ...first.minutes.map((m) => count(m)),
      count(first.total),
    ]);
    // Cells are coloured by the change against the week before.
    for (const [i, pct] of first.change.entries()) {
      const expected = pct === null ? /wow-none/ : pct > 0 ? /wow-up/ : pct < 0 ? /wow-down/ : /wow-flat/;
      await expect(countryRows.first().locator('td').nth(i)).toHaveClass(expected);
    }
  });

  test('countries, daily AOV, platforms and sources show what the API returns', async ({ page }) => {
    // The page's default range: the last 30 days, today included, against the 30 days before.
    const today = localDate(new Date(), BUSINESS_ZONE);
    const range = `from=${addDays(today, -29)}&to=${today}&compare=previous`;
    const countries = await api<CountriesResponse>(page.request, `/api/countries?${range}&limit=10`);
    const daily = await api<DailyGrowthResponse>(page.request, `/api/growth/daily?${range}`);
    const platforms = await api<PlatformsResponse>(page.request, `/api/revenue/platforms?${range}`);
    await revealEveryCard(page);
    const sources = await api<SourcesResponse>(page.request, '/api/sources');
    const countryRows = page.getByTestId('countries-table').locator('tbody tr');
    await expect(countryRows).toHaveCount(countries.countries.length);
    await expect(countryRows.getByTestId('country-orders')).toHaveText(countries.countries.map((c) => count(c.orders)));
    await expect(countryRows.getByTestId('country-revenue')).toHaveText(
      countries.countries.map((c) => money(c.revenue, countries.currency)),
    );

    // Sorting by revenue (MatSort, keyboard): the largest first after two presses.
    const revenueHeader = page.getByTestId('countries-table').getByRole('columnheader', { name: 'Revenue' });
    await revenueHeader.locator('.mat-sort-header-container').focus();
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter');
    const byRevenue = [...countries.countries]
      .sort((a, b) => b.revenue - a.revenue)
      .map((c) => money(c.revenue, countries.currency));
    await expect(countryRows.getByTestId('country-revenue')).toHaveText(byRevenue);

    const days = [...daily.days].reverse();
    const dayRows = page.getByTestId('daily-aov-table').locator('tbody tr');
    await expect(dayRows).toHaveCount(30);
    for (const day of days.slice(1, 6)) {
      const row = page.locator(`[data-testid="daily-aov-table"] tr[data-date="${day.date}"]`);
      await expect(row.getByTestId('day-orders')).toHaveText(count(day.orders));
      await expect(row.getByTestId('day-aov')).toHaveText(money(day.aov, daily.currency));
    }

    for (const p of platforms.platforms) {
      const row = page.locator(`[data-testid="platforms-table"] tr[data-platform="${p.platform}"]`);
      await expect(row.getByTestId('platform-status')).toHaveText(p.status === 'active' ? 'Active' : 'Coming soon');
      await expect(row.getByTestId('platform-orders')).toHaveText(count(p.orders));
      await expect(row.getByTestId('platform-revenue')).toHaveText(money(p.revenue, platforms.currency));
    }
    await expect(page.getByTestId('sources').locator('li[data-source]')).toHaveCount(sources.sources.length);
  });

  test('the monthly goal card shows the pace the API computes', async ({ page }) => {
    const saved = await page.request.put('/api/goals', { data: { monthlyRevenue: 1000000 } });
    expect(saved.status()).toBe(200);
    await page.reload();
    await revealEveryCard(page);
    const goal = await api<GoalProgressResponse>(page.request, '/api/goals/current');
    await expect(page.getByTestId('goal-target')).toHaveText(money(goal.goal, goal.currency));
    await expect(page.getByTestId('goal-revenue')).toHaveText(money(goal.revenue, goal.currency));
    await expect(page.getByTestId('goal-pace')).toContainText(
      goal.pace === 'on_track' ? 'On track' : 'Behind the goal',
    );
  });

  test('a card whose API call fails shows an error banner with a retry, never a blank card', async ({ page }) => {
    await page.route('**/api/spotify/**', (route) => route.abort('connectionrefused'));
    await page.reload();
    await revealEveryCard(page);
    for (const card of ['spotify-quarters', 'spotify-minutes', 'spotify-countries']) {
      await expect(page.getByTestId(card).getByRole('alert')).toContainText('The API is unreachable');
    }
    await expect(page.getByTestId('hero-orders')).toHaveText(/\d/);
    await page.unroute('**/api/spotify/**');
    await page.getByTestId('spotify-quarters').getByRole('button', { name: 'Retry' }).click();
    await expect(page.getByTestId('quarters-table')).toBeVisible();
    await expect(page.getByTestId('spotify-quarters').getByRole('alert')).toHaveCount(0);
  });

  test('presenter mode hides every amount, wherever it would show, and is remembered', async ({ page, request }) => {
    // Money in free text too: a rule whose default name and alert subject carry amounts, fired today.
    const order = freshShopifyOrder();
    expect((await request.post('/api/webhooks/shopify', { data: order.body, headers: order.headers })).status()).toBe(
      200,
    );
    const rule = await page.request.post('/api/alerts', { data: { kind: 'day_revenue', threshold: 0.01 } });
    expect(rule.status()).toBe(201);
    expect(((await rule.json()) as AlertRule).name).toMatch(MONEY_TEXT);
    expect((await page.request.post('/api/alerts/check')).status()).toBe(200);
    await page.reload();
    await showEveryCard(page);
    // The page does show amounts, in figures and in words, until presenter mode is on.
    await expect(page.getByTestId('hero-revenue')).toHaveText(/\$/);
    await expect(page.getByTestId('current-rate')).toContainText('14,354 USD');
    await expect(page.getByTestId('alert-subject').filter({ hasText: 'milestone $0.01 reached' })).toBeVisible();
    expect((await everythingShown(page)).join('\n')).toMatch(MONEY_TEXT);

    await page.getByTestId('presenter-toggle').click();
    await expect(page.getByTestId('hero-revenue')).toHaveText('•••');
    await page.reload();
    await showEveryCard(page);
    await expect(page.getByTestId('hero-revenue')).toHaveText('•••');
    await expect(page.getByTestId('current-rate')).toContainText('source hidden while presenting');
    // The Spotify money card: its months, differences, next payment and the files behind them.
    const money = page.getByTestId('spotify-money');
    await expect(money.getByTestId('month-row').first()).toBeVisible();
    for (const text of await money.locator('.amount').allTextContents()) expect(text.trim()).toMatch(/^(•••|—)$/);
    for (const title of await money.getByTestId('month-status').evaluateAll((cells) => cells.map((c) => c.title)))
      expect(title).toBe('source hidden while presenting');
    const amounts = await page.locator('.amount').allTextContents();
    expect(amounts.length).toBeGreaterThan(20);
    for (const text of amounts) expect(text).not.toMatch(/\d/);
    for (const shown of await everythingShown(page)) expect(shown).not.toMatch(MONEY_TEXT);

    // What arrives live while presenting: a new order and an alert.
    await expect(page.locator('mt-connection-indicator')).toHaveAttribute('data-status', 'connected');
    const next = freshShopifyOrder();
    expect((await request.post('/api/webhooks/shopify', { data: next.body, headers: next.headers })).status()).toBe(
      200,
    );
    await expect(page.getByTestId('order-toast').getByTestId('toast-amount')).toHaveText('•••');
    const silence = await page.request.post('/api/alerts', {
      data: { kind: 'silence', name: 'Quiet for $5,000 of sales', hours: 1, activeFrom: '00:00', activeTo: '23:59' },
    });
    expect(silence.status()).toBe(201);
    const fired = await page.request.post('/api/alerts', { data: { kind: 'day_revenue', threshold: 0.02 } });
    expect(fired.status()).toBe(201);
    expect((await page.request.post('/api/alerts/check')).status()).toBe(200);
    await expect(page.getByTestId('toast-alert').filter({ hasText: 'Day revenue milestone' })).toBeVisible();
    for (const shown of await everythingShown(page)) expect(shown).not.toMatch(MONEY_TEXT);

    // The settings: the rate, its source, the goal and the rules' thresholds stay hidden too.
    await page.getByTestId('settings-link').click();
    await expect(page.getByTestId('presenter-notice')).toHaveCount(3);
    await expect(page.getByTestId('alert-rule').first()).toBeVisible();
    for (const shown of await everythingShown(page)) expect(shown).not.toMatch(MONEY_TEXT);
    await expect(page.getByTestId('alert-rule').filter({ hasText: 'revenue ≥ ••• in a day' }).first()).toBeVisible();
    await page.getByRole('banner').getByRole('link', { name: 'MT Ink Dashboard' }).click();

    await page.getByTestId('presenter-toggle').click();
    await expect(page.getByTestId('hero-revenue')).toHaveText(/\$\d/);
  });
});
