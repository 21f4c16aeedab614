/**
 * Resolves when the browser has a quiet moment (at the latest after 3 s): work that can wait for the
 * page's first figures (the live connection, Chart.js) starts after them, not in their way.
 */
export function whenIdle(): Promise<void> {
  return new Promise((resolve) => {
    if (typeof globalThis.requestIdleCallback === 'function')
      globalThis.requestIdleCallback(() => resolve(), { timeout: 3_000 });
    else setTimeout(resolve, 0);
  });
}

/** Resolves in a task after the browser has painted what is on the page now (the next frame, then a task). */
export function afterPaint(): Promise<void> {
  return new Promise((resolve) => {
    const task = () => setTimeout(resolve, 0);
    if (typeof globalThis.requestAnimationFrame === 'function') globalThis.requestAnimationFrame(task);
    else task();
  });
}
