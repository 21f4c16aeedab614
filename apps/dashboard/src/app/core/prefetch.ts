/**
 * Answers that public/prefetch.js asked for while the code downloaded (the session check, the hero's
 * figures): the first request for the same URL takes the answer instead of asking again. A failed or
 * refused early request (signed out, offline) is asked again through HttpClient, with its interceptors.
 */
interface PrefetchWindow {
  mtPrefetched?: Record<string, Promise<unknown> | undefined>;
}

/** The early answer for `url`, at most once; undefined when none was started. */
export function takePrefetched<T>(url: string): Promise<T | undefined> | undefined {
  const early = (globalThis as PrefetchWindow).mtPrefetched;
  const answer = early?.[url];
  if (early) delete early[url];
  return answer as Promise<T | undefined> | undefined;
}
