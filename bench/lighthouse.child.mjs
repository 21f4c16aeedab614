// Runs Lighthouse (ESM only, hence a child process) against one URL in Debian's Chromium and prints one
// JSON line: the scores, the metrics and what was transferred. Arguments: <url> <cookie header>.
import * as chromeLauncher from 'chrome-launcher';
import { writeFileSync } from 'node:fs';
import lighthouse from 'lighthouse';

const [url, cookie] = process.argv.slice(2);
const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
});
try {
  // Mobile form factor with Lighthouse's default (simulated) throttling: the defaults, only signed in.
  const result = await lighthouse(url, {
    port: chrome.port,
    output: 'json',
    logLevel: 'error',
    onlyCategories: ['performance', 'accessibility'],
    extraHeaders: { Cookie: cookie },
  });
  const { lhr } = result;
  // LIGHTHOUSE_REPORT=path: the whole report as well, to read what the scores leave out.
  if (process.env.LIGHTHOUSE_REPORT) writeFileSync(process.env.LIGHTHOUSE_REPORT, JSON.stringify(lhr));
  const numeric = (id) => lhr.audits[id]?.numericValue ?? null;
  const requests = lhr.audits['network-requests']?.details?.items ?? [];
  const transferred = (type) =>
    requests.filter((r) => !type || r.resourceType === type).reduce((sum, r) => sum + (r.transferSize ?? 0), 0);
  const uncompressed = (type) =>
    requests.filter((r) => !type || r.resourceType === type).reduce((sum, r) => sum + (r.resourceSize ?? 0), 0);
  const failing = (category) =>
    lhr.categories[category].auditRefs
      .filter((ref) => ref.weight > 0 && (lhr.audits[ref.id]?.score ?? 1) < 1)
      .map((ref) => ref.id);
  process.stdout.write(
    `${JSON.stringify({
      finalUrl: lhr.finalDisplayedUrl,
      // Lighthouse could not measure this load (e.g. NO_NAVSTART: the trace missed the navigation).
      runtimeError: lhr.runtimeError?.code ?? null,
      performance: Math.round((lhr.categories.performance.score ?? 0) * 100),
      accessibility: Math.round((lhr.categories.accessibility.score ?? 0) * 100),
      fcp: numeric('first-contentful-paint'),
      lcp: numeric('largest-contentful-paint'),
      tbt: numeric('total-blocking-time'),
      cls: numeric('cumulative-layout-shift'),
      scriptTransfer: transferred('Script'),
      scriptSize: uncompressed('Script'),
      totalTransfer: transferred(null),
      // Where the main thread's time went, for the log: the long tasks and the scripts behind them.
      longTasks: (lhr.audits['long-tasks']?.details?.items ?? []).slice(0, 5).map((task) => ({
        url: String(task.url).startsWith('http') ? new URL(task.url).pathname : task.url,
        duration: Math.round(task.duration),
      })),
      failingPerformance: failing('performance'),
      failingAccessibility: failing('accessibility'),
    })}\n`,
  );
} finally {
  await chrome.kill();
}
