// `node scripts/inline-styles.mjs DIR` (run by `npm run build:dashboard`, before precompress.mjs): puts the
// global stylesheet of the built dashboard into index.html as a <style>, so that the first paint (the boot
// shell) waits for no second request. The whole sheet: it is ~3 KB compressed, less than the round trip
// it saves on a phone. Angular's own critical-CSS inlining loads the rest through an `onload` attribute,
// which the API's Content-Security-Policy (`script-src-attr 'none'`) refuses. The service worker checks
// index.html by its hash, so the worker's manifest (ngsw.json) gets the new one.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const STYLESHEET = /<link rel="stylesheet" href="(styles-[A-Za-z0-9_-]+\.css)"[^>]*>/;

/** index.html with its stylesheet link replaced by the sheet itself; unchanged when it has none. */
export function inlineStylesheet(html, readSheet) {
  const link = STYLESHEET.exec(html);
  if (!link) return html;
  // A `</style>` inside the sheet (in a string or comment) would end the element early.
  const css = readSheet(link[1]).replace(/<\/style/gi, '<\\/style');
  return html.replace(link[0], () => `<style>${css}</style>`);
}

export function inlineStyles(dir) {
  const indexPath = join(dir, 'index.html');
  const html = readFileSync(indexPath, 'utf8');
  const inlined = inlineStylesheet(html, (name) => readFileSync(join(dir, name), 'utf8'));
  if (inlined === html) return false;
  writeFileSync(indexPath, inlined);
  const manifestPath = join(dir, 'ngsw.json');
  if (existsSync(manifestPath)) {
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
    manifest.hashTable['/index.html'] = createHash('sha1').update(inlined).digest('hex');
    writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));
  }
  return true;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dir = process.argv[2];
  if (!dir) {
    console.error('usage: node scripts/inline-styles.mjs DIR');
    process.exit(64);
  }
  console.log(inlineStyles(dir) ? `inlined the stylesheet into ${dir}/index.html` : `no stylesheet link in ${dir}/index.html`);
}
