import { parseJsonKeepingBigInts } from '../safe-json';

export class PlatformHttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface HttpRetryOptions {
  /** Attempts after the first, for 429 and 5xx answers and network errors. */
  retries: number;
  /** Longest wait honoured from a Retry-After header or backoff. */
  maxWaitMs: number;
  timeoutMs: number;
}

export const DEFAULT_RETRY: HttpRetryOptions = { retries: 4, maxWaitMs: 60_000, timeoutMs: 30_000 };

export interface JsonResponse {
  body: unknown;
  headers: Headers;
}

/**
 * One platform API call: JSON with ids beyond 2^53 kept exact, 429 answered by waiting what Retry-After
 * says (capped), 5xx and network errors retried with exponential backoff, anything else an error that
 * names the status and the start of the answer (shown as the source's last error).
 */
export async function requestJson(
  url: string,
  init: RequestInit,
  options: HttpRetryOptions = DEFAULT_RETRY,
): Promise<JsonResponse> {
  const { text, headers, status } = await requestText(url, init, options);
  try {
    return { body: text ? parseJsonKeepingBigInts(text) : null, headers };
  } catch {
    throw new PlatformHttpError(status, `${describe(url)}: answer is not JSON`);
  }
}

/** `requestJson` without the JSON: the answer's text, with the same retries and errors. */
export async function requestText(
  url: string,
  init: RequestInit,
  options: HttpRetryOptions = DEFAULT_RETRY,
): Promise<{ text: string; headers: Headers; status: number }> {
  let attempt = 0;
  for (;;) {
    let response: Response;
    let text: string;
    try {
      response = await fetch(url, { ...init, signal: AbortSignal.timeout(options.timeoutMs) });
      // A body cut off mid-way fails here, and is retried like a connection that failed.
      text = response.ok ? await response.text() : '';
    } catch (error) {
      if (attempt >= options.retries)
        throw new PlatformHttpError(0, `${describe(url)}: ${error instanceof Error ? error.message : String(error)}`);
      await sleep(Math.min(options.maxWaitMs, 500 * 2 ** attempt++));
      continue;
    }
    if (response.ok) return { text, headers: response.headers, status: response.status };
    const retryable = response.status === 429 || response.status >= 500;
    if (!retryable || attempt >= options.retries) {
      const body = (await response.text().catch(() => '')).slice(0, 200);
      throw new PlatformHttpError(
        response.status,
        `${describe(url)}: HTTP ${response.status}${body ? ` ${body}` : ''}`,
      );
    }
    await response.body?.cancel().catch(() => undefined);
    await sleep(Math.min(options.maxWaitMs, retryAfterMs(response.headers.get('retry-after')) ?? 500 * 2 ** attempt));
    attempt++;
  }
}

/** Retry-After as seconds or an HTTP date. */
export function retryAfterMs(value: string | null): number | null {
  if (!value) return null;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Math.round(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - Date.now());
}

function describe(url: string): string {
  const parsed = new URL(url);
  return `${parsed.host}${parsed.pathname}`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** OAuth refresh-token grant (Amazon LWA, eBay), cached until shortly before it expires. */
export class RefreshTokenCache {
  private token: { value: string; expiresAt: number } | null = null;

  constructor(private readonly fetchToken: () => Promise<{ accessToken: string; expiresInSeconds: number }>) {}

  async get(): Promise<string> {
    if (this.token && this.token.expiresAt > Date.now()) return this.token.value;
    const { accessToken, expiresInSeconds } = await this.fetchToken();
    this.token = { value: accessToken, expiresAt: Date.now() + Math.max(0, expiresInSeconds - 60) * 1000 };
    return accessToken;
  }
}

export function tokenFrom(body: unknown): { accessToken: string; expiresInSeconds: number } {
  const record = (body ?? {}) as Record<string, unknown>;
  if (typeof record['access_token'] !== 'string') throw new PlatformHttpError(200, 'token answer has no access_token');
  return { accessToken: record['access_token'], expiresInSeconds: Number(record['expires_in'] ?? 3600) };
}
