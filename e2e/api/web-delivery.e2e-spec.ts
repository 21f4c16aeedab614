import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { get as httpGet, IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { createTestApp, TestApp } from '../../apps/api/test/test-app';

/**
 * Fast on a phone (SPEC §9, issue 16): the dashboard's files and the API's JSON go out compressed,
 * hashed files are cached for good and index.html never, and the streamed exports stay streams.
 * The dashboard here is a small build of our own, precompressed by the same script as the real one.
 */

interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** How many pieces the body arrived in. */
  chunks: number;
}

/** A GET whose body comes back exactly as sent (no client-side decompression). */
function rawGet(baseUrl: string, path: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    httpGet(`${baseUrl}${path}`, { headers }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (part: Buffer) => parts.push(part));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(parts),
          chunks: parts.length,
        }),
      );
      res.on('error', reject);
    }).on('error', reject);
  });
}

const SCRIPT = 'main-ABCD2345.js';
const STYLES = 'styles-EFGH6789.css';
const FONT = 'media/font-JKLM2345.woff2';
/** A lazy chunk as the build's chunk optimizer names it (base64url hash, may start with "-"). */
const LAZY_CHUNK = 'chunk--Nrcl_gE.js';

/** Text that compresses like code does (repetitive, but not one byte over and over). */
function code(lines: number): string {
  return Array.from({ length: lines }, (_, i) => `export const value${i} = (x) => x * ${i} + "${i % 7}";\n`).join('');
}

describe('compression and caching of the dashboard and the API', () => {
  let dist: string;
  let app: TestApp;

  beforeAll(async () => {
    dist = mkdtempSync(join(tmpdir(), 'mtink-dist-'));
    mkdirSync(join(dist, 'media'));
    writeFileSync(
      join(dist, 'index.html'),
      `<!doctype html><html><head><link rel="stylesheet" href="${STYLES}"></head><body><mt-root></mt-root>` +
        `${'<!-- padding so that the page is worth compressing -->\n'.repeat(40)}<script src="${SCRIPT}" type="module"></script></body></html>`,
    );
    writeFileSync(join(dist, SCRIPT), code(2000));
    writeFileSync(join(dist, LAZY_CHUNK), code(500));
    writeFileSync(join(dist, STYLES), '.card { color: indigo; }\n'.repeat(200));
    writeFileSync(join(dist, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    writeFileSync(join(dist, FONT), Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)));
    execFileSync(process.execPath, ['scripts/precompress.mjs', dist]);
    app = await createTestApp({ dashboardDir: dist });
    for (let i = 0; i < 3000; i++) {
      await app.db.dataSource.query(
        `INSERT INTO orders (platform, external_id, created_at, currency, total, base_total, country, status)
         VALUES ('shopify', $1, '2026-03-30T12:00:00+02:00', 'USD', 10, 10, 'GB', 'paid')`,
        [`export-${i}`],
      );
    }
  });
  afterAll(async () => {
    await app.close();
    rmSync(dist, { recursive: true, force: true });
  });

  it('the build script writes a brotli and a gzip twin of each compressible file, not of small or binary ones', () => {
    expect(brotliDecompressSync(readFileSync(join(dist, `${SCRIPT}.br`))).toString()).toBe(code(2000));
    expect(gunzipSync(readFileSync(join(dist, `${SCRIPT}.gz`))).toString()).toBe(code(2000));
    expect(() => readFileSync(join(dist, 'favicon.svg.br'))).toThrow(/ENOENT/);
    expect(() => readFileSync(join(dist, `${FONT}.br`))).toThrow(/ENOENT/);
  });

  it.each([
    ['br', '.br', 'br'],
    ['gzip', '.gz', 'gzip'],
    ['gzip, deflate, br', '.br', 'br'],
    ['br;q=0, gzip', '.gz', 'gzip'],
    ['gzip;q=1.0, br;q=0.5', '.gz', 'gzip'],
    ['*', '.br', 'br'],
  ])(
    'Accept-Encoding: %s → a hashed script as its build-time twin, cached as immutable',
    async (accept, suffix, sent) => {
      const res = await rawGet(app.baseUrl, `/${SCRIPT}`, { 'Accept-Encoding': accept });
      expect(res.status).toBe(200);
      expect(res.headers['content-encoding']).toBe(sent);
      expect(res.headers['content-type']).toBe('text/javascript; charset=utf-8');
      expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(res.headers['vary']).toMatch(/Accept-Encoding/);
      expect(res.body.equals(readFileSync(join(dist, `${SCRIPT}${suffix}`)))).toBe(true);
    },
  );

  it('without Accept-Encoding: the script as it is, still immutable', async () => {
    const res = await rawGet(app.baseUrl, `/${SCRIPT}`);
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(res.body.toString()).toBe(code(2000));
  });

  it("a lazy chunk named by the build's chunk optimizer is hashed too: compressed and immutable", async () => {
    const res = await rawGet(app.baseUrl, `/${LAZY_CHUNK}`, { 'Accept-Encoding': 'br' });
    expect(res.headers['content-encoding']).toBe('br');
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  it('hashed styles and media are immutable; a font is not compressed again', async () => {
    const styles = await rawGet(app.baseUrl, `/${STYLES}`, { 'Accept-Encoding': 'br' });
    expect(styles.headers['content-encoding']).toBe('br');
    expect(styles.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const font = await rawGet(app.baseUrl, `/${FONT}`, { 'Accept-Encoding': 'br, gzip' });
    expect(font.status).toBe(200);
    expect(font.headers['content-encoding']).toBeUndefined();
    expect(font.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(font.body.equals(readFileSync(join(dist, FONT)))).toBe(true);
  });

  it.each(['/', '/index.html', '/settings/users'])(
    'GET %s: index.html, compressed, revalidated on every use',
    async (path) => {
      const res = await rawGet(app.baseUrl, path, { 'Accept-Encoding': 'br' });
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.headers['content-encoding']).toBe('br');
      expect(brotliDecompressSync(res.body).toString()).toBe(readFileSync(join(dist, 'index.html'), 'utf8'));
    },
  );

  it('an unhashed file (favicon) is revalidated, not cached for good', async () => {
    const res = await rawGet(app.baseUrl, '/favicon.svg', { 'Accept-Encoding': 'br' });
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-cache');
  });

  it.each([
    ['br', brotliDecompressSync],
    ['gzip', gunzipSync],
  ] as const)('API JSON with Accept-Encoding: %s is compressed', async (encoding, decompress) => {
    const path = '/api/growth/daily?days=60&now=2026-03-31T14:30:00%2B02:00';
    const res = await rawGet(app.baseUrl, path, {
      'Accept-Encoding': encoding,
      Authorization: `Bearer ${app.users.viewer.token}`,
    });
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBe(encoding);
    const body = JSON.parse(decompress(res.body).toString());
    expect(body.days).toHaveLength(60);
    expect(body.comparisonDays).toHaveLength(60);
    expect(res.body.length).toBeLessThan(decompress(res.body).length / 4);
  });

  it('a small API answer is sent as it is', async () => {
    const res = await rawGet(app.baseUrl, '/api/health', { 'Accept-Encoding': 'br, gzip' });
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBeUndefined();
  });

  it.each(['/api/export/orders.csv', '/api/export/orders?format=csv'])(
    'GET %s still streams, uncompressed, even when the browser takes brotli',
    async (path) => {
      const separator = path.includes('?') ? '&' : '?';
      const res = await rawGet(app.baseUrl, `${path}${separator}from=2026-03-30&to=2026-03-30`, {
        'Accept-Encoding': 'br, gzip',
        Authorization: `Bearer ${app.users.viewer.token}`,
      });
      expect(res.status).toBe(200);
      expect(res.headers['content-encoding']).toBeUndefined();
      expect(res.headers['transfer-encoding']).toBe('chunked');
      expect(res.headers['content-length']).toBeUndefined();
      const lines = res.body.toString().trim().split('\r\n');
      expect(lines).toHaveLength(3001);
      expect(lines[1]).toContain('export-');
    },
  );

  it('an XLSX export is not compressed again either', async () => {
    const res = await rawGet(app.baseUrl, '/api/export/daily.xlsx?from=2026-03-01&to=2026-03-31', {
      'Accept-Encoding': 'br, gzip',
      Authorization: `Bearer ${app.users.viewer.token}`,
    });
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBeUndefined();
    // A ZIP container, as written.
    expect(res.body.subarray(0, 2).toString()).toBe('PK');
  });
});
