/**
 * The hero's requests, started by main.ts while Angular boots and the session is checked, instead of
 * after both: the cards take the answer when they ask for the same URL first. A failed or refused
 * early request (signed out, offline) is simply asked again through HttpClient, with its interceptors.
 */
const early = new Map<string, Promise<unknown>>();

export const PREFETCHED_URLS = [
  '/api/comparison/today-vs-yesterday',
  '/api/growth/hourly',
  '/api/metrics/summary',
] as const;

export function prefetch(urls: readonly string[]): void {
  for (const url of urls) {
    early.set(
      url,
      fetch(url, { credentials: 'same-origin', headers: { accept: 'application/json' } })
        .then((response) => (response.ok ? (response.json() as Promise<unknown>) : undefined))
        .catch(() => undefined),
    );
  }
}

/** The early answer for `url`, at most once; undefined when none was started. */
export function takePrefetched<T>(url: string): Promise<T | undefined> | undefined {
  const answer = early.get(url);
  early.delete(url);
  return answer as Promise<T | undefined> | undefined;
}
