// Loaded by index.html ahead of the dashboard's code: the session check and, on the dashboard, the first
// screen's figures (the hero's, the tiles' and their sparklines') are asked for while the code downloads,
// instead of after it has started. The app takes each
// answer once (core/prefetch.ts); one that failed or is missing is simply asked again. Past the service
// worker, like every API request (core/service-worker-bypass.ts).
(function () {
  var path = location.pathname;
  if (path.indexOf('/login') === 0) return;
  var urls = ['/api/auth/me'];
  if (path === '/')
    urls.push(
      '/api/comparison/today-vs-yesterday',
      '/api/growth/hourly',
      '/api/metrics/summary',
      '/api/growth/weekly?weeks=13',
      '/api/growth/monthly?months=13',
      '/api/growth/daily?days=31',
    );
  var early = {};
  urls.forEach(function (url) {
    early[url] = fetch(url, {
      credentials: 'same-origin',
      headers: { accept: 'application/json', 'ngsw-bypass': 'true' },
    })
      .then(function (response) {
        return response.ok ? response.json() : undefined;
      })
      .catch(function () {
        return undefined;
      });
  });
  window.mtPrefetched = early;
})();
