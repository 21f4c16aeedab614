// Writes the installable app's icons (apps/dashboard/public/icons/*.png) from one drawing, rendered
// by Debian's Chromium: `node scripts/app-icons.mjs`. The PNGs are committed; run this after changing
// the drawing.
import { chromium } from '@playwright/test';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';

const OUT = join(import.meta.dirname, '..', 'apps', 'dashboard', 'public', 'icons');
const INDIGO = '#18194c';
const PRIMARY = '#5c5bd6';

/** The favicon's mark: "MT" on indigo. `inset`: the share of the side left around it (maskable: safe zone). */
function mark(size, { inset, rounded }) {
  const box = size * (1 - 2 * inset);
  const at = size * inset;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 ${size} ${size}">
    <rect width="${size}" height="${size}" rx="${rounded ? size * 0.2 : 0}" fill="${INDIGO}"/>
    <rect x="${at}" y="${at}" width="${box}" height="${box}" rx="${box * 0.18}" fill="${PRIMARY}"/>
    <text x="${size / 2}" y="${size / 2 + box * 0.16}" font-family="Roboto, DejaVu Sans, sans-serif" font-size="${box * 0.44}"
      font-weight="700" fill="#fff" text-anchor="middle">MT</text>
  </svg>`;
}

/** Android's status-bar badge: white on transparent, only the alpha counts. */
function badge(size) {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 ${size} ${size}">
    <text x="${size / 2}" y="${size * 0.66}" font-family="Roboto, DejaVu Sans, sans-serif" font-size="${size * 0.48}"
      font-weight="700" fill="#fff" text-anchor="middle">MT</text>
  </svg>`;
}

const ICONS = [
  ['icon-192.png', 192, mark(192, { inset: 0.08, rounded: true })],
  ['icon-512.png', 512, mark(512, { inset: 0.08, rounded: true })],
  // Maskable: the launcher cuts any shape out of the full square; the mark stays in the inner 80 %.
  ['icon-maskable-512.png', 512, mark(512, { inset: 0.2, rounded: false })],
  ['apple-touch-icon.png', 180, mark(180, { inset: 0.08, rounded: false })],
  ['badge-96.png', 96, badge(96)],
];

await mkdir(OUT, { recursive: true });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox'],
});
try {
  for (const [name, size, svg] of ICONS) {
    const page = await browser.newPage({ viewport: { width: size, height: size } });
    await page.setContent(`<html><body style="margin:0;background:transparent">${svg}</body></html>`);
    await page.screenshot({ path: join(OUT, name), omitBackground: true });
    await page.close();
    console.log(`${name} ${size}×${size}`);
  }
} finally {
  await browser.close();
}
