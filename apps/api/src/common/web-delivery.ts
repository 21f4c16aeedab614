import compression from 'compression';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import { constants as zlib } from 'node:zlib';

/**
 * How the dashboard and the API's JSON reach a phone (SPEC §9): compressed, and the files that never
 * change under their name cached for good.
 */

/**
 * Angular's output hashing: `main-ZXM6ZAU5.js`, `chunk-TE6MCKAL.js`, `media/font-3FOOXPHW.woff2`, and the
 * lazy chunks its chunk optimizer (NG_BUILD_OPTIMIZE_CHUNKS, used by the build) names in base64url:
 * `chunk-CpSFy4_P.js`, `chunk--Nrcl_gE.js`.
 */
const HASHED_FILE = /-[A-Za-z0-9_-]{8}\.[a-z0-9]+$/;

/** A hashed file's content never changes; a new build gives it a new name. */
export const IMMUTABLE = 'public, max-age=31536000, immutable';
/** Everything else (index.html, the SPA fallback, favicon, a service worker) is revalidated on each use. */
export const REVALIDATE = 'no-cache';

/** The encodings written next to each file at build time (`scripts/precompress.mjs`), best first. */
const PRECOMPRESSED = [
  ['br', '.br'],
  ['gzip', '.gz'],
] as const;

/**
 * Paths whose responses are streamed and must go out as written: exports (CSV/XLSX written row by row
 * under backpressure; a compressor would hold rows back until its buffer fills), the Socket.IO endpoint
 * and the webhooks (tiny answers that platforms time). The content types are those of streams.
 */
const UNCOMPRESSED_PATHS = /^\/(api\/export|ws|api\/webhooks)(\/|\.|$)/;
const STREAMED_TYPES = /^(text\/event-stream|application\/vnd\.openxmlformats|text\/csv)/;

export function cacheControlFor(path: string): string {
  return HASHED_FILE.test(path) ? IMMUTABLE : REVALIDATE;
}

/** `serveStaticOptions` of the dashboard: cache headers by name; the SPA fallback gets index.html's. */
export const dashboardStaticOptions = {
  setHeaders(res: Response, path: string): void {
    res.setHeader('Cache-Control', cacheControlFor(path));
  },
};

/**
 * gzip or brotli for what is not precompressed: API JSON, index.html without its variants. Brotli at
 * quality 4 (compression's default) costs about what gzip costs; the static files get quality 11 at build.
 */
export function responseCompression(): RequestHandler {
  const compress = compression({
    threshold: 1024,
    brotli: { params: { [zlib.BROTLI_PARAM_QUALITY]: 4 } },
    filter: (req, res) =>
      !STREAMED_TYPES.test(String(res.getHeader('Content-Type') ?? '')) && compression.filter(req, res),
  });
  // Streamed paths skip the middleware altogether: their writes and `drain` stay the socket's own.
  return (req, res, next) => (UNCOMPRESSED_PATHS.test(req.path) ? next() : compress(req, res, next));
}

/**
 * Serves a file's `.br` or `.gz` twin, written at build time at the best level, when the browser accepts
 * it; otherwise hands on to the static files (and to `responseCompression`). The twins are listed once at
 * start, so a request never probes the disk, and only names found there can be served.
 */
export function precompressedFiles(root: string): RequestHandler {
  const variants = listVariants(root);
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const file = variants.get(req.path);
    if (!file) return next();
    res.vary('Accept-Encoding');
    const encoding = preferredEncoding(req.headers['accept-encoding'] ?? '', file.encodings);
    if (!encoding) return next();
    const suffix = PRECOMPRESSED.find(([name]) => name === encoding)![1];
    res.setHeader('Content-Encoding', encoding);
    res.setHeader('Cache-Control', cacheControlFor(req.path));
    res.type(extname(file.path));
    res.sendFile(file.path + suffix, { cacheControl: false }, (error) => error && next(error));
  };
}

/**
 * The best of `available` (ours, best first) that `Accept-Encoding` takes: the highest q, and among equal
 * q ours first. Browsers list gzip before br at the same q, but br is the smaller of the two.
 */
export function preferredEncoding(header: string, available: readonly string[]): string | null {
  const quality = new Map<string, number>();
  for (const part of header.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
    quality.set(name, q === undefined ? 1 : Number(q));
  }
  let best: string | null = null;
  let bestQuality = 0;
  for (const encoding of available) {
    const q = quality.get(encoding) ?? quality.get('*') ?? 0;
    if (q > bestQuality) [best, bestQuality] = [encoding, q];
  }
  return best;
}

interface Variants {
  path: string;
  encodings: string[];
}

function listVariants(root: string): Map<string, Variants> {
  const found = new Map<string, Variants>();
  if (!existsSync(root)) return found;
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) {
        walk(path);
        continue;
      }
      const encodings = PRECOMPRESSED.filter(([, suffix]) => existsSync(path + suffix)).map(([encoding]) => encoding);
      if (encodings.length) found.set(`/${relative(root, path).split(sep).join('/')}`, { path, encodings });
    }
  };
  walk(root);
  // The SPA fallback serves index.html for every other path; `/` is the one asked for most.
  const index = found.get('/index.html');
  if (index) found.set('/', index);
  return found;
}
