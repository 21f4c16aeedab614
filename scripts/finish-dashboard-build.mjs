// `node scripts/finish-dashboard-build.mjs DIR` (run by `npm run build:dashboard`, before precompress.mjs):
// what the Angular build cannot be told to do, done to its output for a phone's first load.
//
// - The global stylesheet goes into index.html as a <style>, so that the first paint (the boot shell)
//   waits for no second request. The whole sheet: it is ~3 KB compressed, less than the round trip it
//   saves. Angular's own critical-CSS inlining loads the rest through an `onload` attribute, which the
//   API's Content-Security-Policy (`script-src-attr 'none'`) refuses.
// - Each script chunk starts with V8's compile hint `//# allFunctionsCalledOnLoad`: its functions are
//   compiled while it downloads, on a background thread, instead of one by one on the main thread when
//   first called: that halved the main thread's time for starting the app and building the page. A
//   source map, if built, is shifted by the added line.
// - The service worker checks each file by its hash: its manifest (ngsw.json) gets the new ones.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const STYLESHEET = /<link rel="stylesheet" href="(styles-[A-Za-z0-9_-]+\.css)"[^>]*>/;
/** The app's own chunks, named by their content's hash (not the service worker's scripts). */
const CHUNK = /^(main|chunk)-[A-Za-z0-9_-]{8}\.js$/;
export const COMPILE_HINT = '//# allFunctionsCalledOnLoad\n';

/** index.html with its stylesheet link replaced by the sheet itself; unchanged when it has none. */
export function inlineStylesheet(html, readSheet) {
  const link = STYLESHEET.exec(html);
  if (!link) return html;
  // A `</style>` inside the sheet (in a string or comment) would end the element early.
  const css = readSheet(link[1]).replace(/<\/style/gi, '<\\/style');
  return html.replace(link[0], () => `<style>${css}</style>`);
}

/** A chunk that starts with the compile hint (once), and its source map's mappings one line down. */
export function withCompileHint(script, sourceMap) {
  if (script.startsWith(COMPILE_HINT)) return { script, sourceMap };
  const map = sourceMap && JSON.parse(sourceMap);
  if (map) map.mappings = `;${map.mappings}`;
  return { script: COMPILE_HINT + script, sourceMap: map ? JSON.stringify(map) : sourceMap };
}

/** Does both to the build in `dir`; returns the names of the files it changed. */
export function finishDashboardBuild(dir) {
  const changed = new Map();
  const html = readFileSync(join(dir, 'index.html'), 'utf8');
  const inlined = inlineStylesheet(html, (name) => readFileSync(join(dir, name), 'utf8'));
  if (inlined !== html) changed.set('index.html', inlined);
  for (const name of readdirSync(dir).filter((file) => CHUNK.test(file))) {
    const mapPath = join(dir, `${name}.map`);
    const before = readFileSync(join(dir, name), 'utf8');
    const { script, sourceMap } = withCompileHint(before, existsSync(mapPath) ? readFileSync(mapPath, 'utf8') : null);
    if (script === before) continue;
    changed.set(name, script);
    if (sourceMap) writeFileSync(mapPath, sourceMap);
  }
  for (const [name, content] of changed) writeFileSync(join(dir, name), content);
  const manifestPath = join(dir, 'ngsw.json');
  if (changed.size && existsSync(manifestPath)) {
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
    for (const [name, content] of changed)
      if (`/${name}` in manifest.hashTable)
        manifest.hashTable[`/${name}`] = createHash('sha1').update(content).digest('hex');
    writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));
  }
  return [...changed.keys()];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dir = process.argv[2];
  if (!dir) {
    console.error('usage: node scripts/finish-dashboard-build.mjs DIR');
    process.exit(64);
  }
  console.log(`finished the build in ${dir}: ${finishDashboardBuild(dir).length} files changed`);
}
