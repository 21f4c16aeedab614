// Loaded by index.html ahead of the dashboard's code: the session check and, on the dashboard, the first
// screen's figures (the hero's, the tiles' and their sparklines') are asked for while the code downloads,
// instead of after it has started; the figures in one request (GET /api/first-screen), whose parts are
// the answers of the URLs the app asks for (core/analytics-api.service.ts). The app takes each answer
// once (core/prefetch.ts); one that failed or is missing is simply asked again. Past the service worker,
// like every API request (core/service-worker-bypass.ts).
(function () {
  var path = location.pathname;
  if (path.indexOf('/login') === 0) return;
  var early = {};
  function ask(url) {
    return fetch(url, {
      credentials: 'same-origin',
      headers: { accept: 'application/json', 'ngsw-bypass': 'true' },
    })
      .then(function (response) {
        return response.ok ? response.json() : undefined;
      })
      .catch(function () {
        return undefined;
      });
  }
  early['/api/auth/me'] = ask('/api/auth/me');
  if (path === '/') {
    var firstScreen = ask('/api/first-screen');
    var parts = {
      '/api/comparison/today-vs-yesterday': 'todayVsYesterday',
      '/api/growth/hourly': 'hourly',
      '/api/metrics/summary': 'summary',
      '/api/growth/weekly?weeks=13': 'weekly',
      '/api/growth/monthly?months=13': 'monthly',
      '/api/growth/daily?days=31': 'daily',
    };
    Object.keys(parts).forEach(function (url) {
      early[url] = firstScreen.then(function (answer) {
        return answer && answer[parts[url]];
      });
    });
  }
  window.mtPrefetched = early;
})();
