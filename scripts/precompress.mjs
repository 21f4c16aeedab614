// `node scripts/precompress.mjs DIR` (run by `npm run build:dashboard`): writes a brotli (quality 11) and
// a gzip (level 9) twin next to every compressible file of the built dashboard, so the API serves them
// without compressing on each request (apps/api/src/common/web-delivery.ts). Quality 11 takes ~1 s for
// the initial scripts: affordable once per build, not per request.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const COMPRESSIBLE = new Set(['.js', '.mjs', '.css', '.html', '.svg', '.json', '.webmanifest', '.txt', '.map', '.ttf']);
/** Below this, compressing saves less than the header costs (compression's own threshold too). */
const MIN_BYTES = 1024;

function precompress(dir) {
  let written = 0;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      written += precompress(path);
      continue;
    }
    if (!COMPRESSIBLE.has(extname(name))) continue;
    const content = readFileSync(path);
    if (content.length < MIN_BYTES) continue;
    const br = brotliCompressSync(content, {
      params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: content.length },
    });
    const gz = gzipSync(content, { level: 9 });
    // A twin that saves nothing would only cost a lookup.
    if (br.length < content.length) writeFileSync(`${path}.br`, br);
    if (gz.length < content.length) writeFileSync(`${path}.gz`, gz);
    written++;
  }
  return written;
}

const dir = process.argv[2];
if (!dir) {
  console.error('usage: node scripts/precompress.mjs DIR');
  process.exit(64);
}
console.log(`precompressed ${precompress(dir)} files in ${dir}`);
