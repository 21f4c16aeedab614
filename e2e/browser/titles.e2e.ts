import { expect, test } from '@playwright/test';
import type { CatalogueResponse, TitleDetailResponse, TitlesResponse } from '@mt/contracts';
import { api, money, revealEveryCard, signIn } from './dashboard-helpers';

test.use({ locale: 'en-US', timezoneId: 'UTC', viewport: { width: 1366, height: 900 } });

test('a title opens from the dashboard card, and two titles are merged in Settings with a preview', async ({
  page,
}) => {
  await signIn(page);
  await revealEveryCard(page);

  // The card lists the month so far (the page's range while live); its first title opens the title page.
  const card = page.getByTestId('titles-card');
  await card.scrollIntoViewIfNeeded();
  const first = card.getByTestId('title-link').first();
  await expect(first).toBeVisible();
  const name = (await first.textContent())!.trim();
  await first.click();
  await expect(page).toHaveURL(/\/titles\/\d+\?from=\d{4}-\d{2}-\d{2}&to=\d{4}-\d{2}-\d{2}$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(name);
  const detail = await api<TitleDetailResponse>(page.request, `/api/titles/${page.url().split('/titles/')[1]}`);
  await expect(page.getByTestId('title-total-revenue')).toHaveText(money(detail.total.revenue));
  await expect(page.getByTestId('title-platforms').locator('tbody tr')).toHaveCount(detail.platforms.length);
  await expect(page.getByTestId('title-spotify').locator('tbody tr')).toHaveCount(detail.spotify.months.length);

  // Settings → Titles: tick two titles, preview the merge, apply it.
  const range = 'from=2000-01-01&to=2099-12-31';
  const before = await api<TitlesResponse>(page.request, `/api/titles?${range}&limit=100`);
  await page.getByRole('link', { name: '← Dashboard' }).click();
  await page.getByTestId('settings-link').click();
  const settings = page.getByTestId('titles-settings');
  await settings.locator('[data-title="Small Capitals"] [data-testid="title-select"]').click();
  await settings.locator('[data-title="Moveable Type"] [data-testid="title-select"]').click();
  await settings.getByTestId('titles-merge').click();
  const preview = settings.getByTestId('titles-preview');
  await expect(preview).toContainText('Merge “Moveable Type” into “Small Capitals”');
  await expect(settings.getByTestId('titles-preview-effect')).toContainText(
    'change title. Afterwards: “Small Capitals”',
  );
  // A preview stores nothing.
  expect((await api<CatalogueResponse>(page.request, '/api/titles/catalogue?search=Moveable')).titles).toHaveLength(1);
  await settings.getByTestId('titles-apply').click();
  await expect(preview).toHaveCount(0);
  await expect(settings.locator('[data-title="Moveable Type"]')).toHaveCount(0);

  const after = await api<TitlesResponse>(page.request, `/api/titles?${range}&limit=100`);
  const revenue = (r: TitlesResponse, title: string) => r.titles.find((t) => t.title === title)?.revenue ?? 0;
  expect(after.total).toEqual(before.total);
  expect(after.titles.map((t) => t.title)).not.toContain('Moveable Type');
  expect(Math.round(revenue(after, 'Small Capitals') * 100)).toBe(
    Math.round((revenue(before, 'Small Capitals') + revenue(before, 'Moveable Type')) * 100),
  );
});
