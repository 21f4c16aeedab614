import { expect, test } from '@playwright/test';
import { signIn } from './dashboard-helpers';

interface Manifest {
  name: string;
  short_name: string;
  start_url: string;
  display: string;
  theme_color: string;
  background_color: string;
  icons: Array<{ src: string; sizes: string; type: string; purpose: string }>;
}

/**
 * The installable app (SPEC §6): what Chromium asks of a web app before it offers to install it, and
 * the shell from the service worker's cache when there is no network.
 */
test('is installable: a manifest with name, standalone display, both theme colours and fetchable icons', async ({
  page,
}) => {
  await page.goto('/login');
  const href = await page.locator('link[rel="manifest"]').getAttribute('href');
  const response = await page.request.get(new URL(href!, page.url()).href);
  expect(response.status()).toBe(200);
  expect(response.headers()['content-type']).toMatch(/^application\/manifest\+json/);
  const manifest = (await response.json()) as Manifest;
  expect(manifest).toMatchObject({
    name: 'MT Ink Dashboard',
    short_name: 'MT Ink',
    start_url: '/',
    display: 'standalone',
    theme_color: '#18194c',
    background_color: '#18194c',
  });
  const sizes = manifest.icons.map((icon) => `${icon.sizes} ${icon.purpose}`);
  expect(sizes).toEqual(['192x192 any', '512x512 any', '512x512 maskable']);
  for (const icon of manifest.icons) {
    const image = await page.request.get(new URL(icon.src, response.url()).href);
    expect(image.status()).toBe(200);
    expect(image.headers()['content-type']).toBe('image/png');
    const png = await image.body();
    // PNG signature, then the IHDR width and height: the size the manifest says.
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    const [width, height] = icon.sizes.split('x').map(Number);
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([width, height]);
  }
  // The theme colour follows the chosen theme in the browser's toolbar.
  await expect(page.locator('meta[name="theme-color"]')).toHaveAttribute('content', '#18194c');
  await page.getByTestId('theme-toggle').click();
  await expect(page.locator('meta[name="theme-color"]')).toHaveAttribute('content', '#f2efff');
  await page.getByTestId('theme-toggle').click();
  // The worker's own files are never cached as immutable, or an update could never reach a device.
  for (const path of ['/ngsw-worker.js', '/ngsw.json', '/manifest.webmanifest', '/index.html']) {
    expect((await page.request.get(path)).headers()['cache-control'], path).toBe('no-cache');
  }
});

test('opens from the service worker without a network, saying how old its figures are', async ({ page, context }) => {
  await signIn(page);
  // The worker registers once the page is idle, and controls the page from the next load on.
  await page.waitForFunction(async () => (await navigator.serviceWorker.getRegistration())?.active != null);
  await page.reload();
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
  // The shell is in the cache before the network goes (the worker prefetches it on install).
  await expect
    .poll(() => page.evaluate(async () => (await caches.keys()).some((name) => name.includes(':shell:'))))
    .toBe(true);

  // The time of the figures last shown, read after the last load with a network: each load computes
  // them anew, so a minute may have turned since the first one.
  await expect(page.getByTestId('hero-as-of')).toContainText(/as of \d\d:\d\d/);
  const asOf = /as of (\d\d:\d\d)/.exec((await page.getByTestId('hero-as-of').textContent()) ?? '')![1]!;
  await context.setOffline(true);
  await page.reload();
  await expect(page.getByTestId('offline-bar')).toHaveText(`offline — figures as of ${asOf}`);
  await expect(page.locator('mt-root .boot-shell')).toHaveCount(0);
  await expect(page.getByTestId('theme-toggle')).toBeVisible();
  await context.setOffline(false);
});
