import { HttpInterceptorFn } from '@angular/common/http';

/**
 * The service worker keeps the shell, never the figures (SPEC §6): API requests carry `ngsw-bypass` so
 * that it leaves them to the browser. Through the worker, a request made offline would come back as the
 * worker's own "504 Gateway Timeout" response, which every card would show as an API error instead of
 * the one offline bar.
 */
export const apiPastServiceWorker: HttpInterceptorFn = (request, next) =>
  next(request.url.startsWith('/api/') ? request.clone({ setHeaders: { 'ngsw-bypass': 'true' } }) : request);
