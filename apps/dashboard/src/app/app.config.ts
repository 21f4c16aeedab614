import { provideHttpClient, withInterceptors } from '@angular/common/http';
import {
  ApplicationConfig,
  isDevMode,
  provideBrowserGlobalErrorListeners,
  provideZonelessChangeDetection,
} from '@angular/core';
import { provideRouter, withComponentInputBinding, withDisabledInitialNavigation } from '@angular/router';
import { provideServiceWorker } from '@angular/service-worker';
import { routes } from './app.routes';
import { sessionExpiryInterceptor } from './core/auth.guard';
import { apiPastServiceWorker } from './core/service-worker-bypass';

export const appConfig: ApplicationConfig = {
  providers: [
    provideBrowserGlobalErrorListeners(),
    provideZonelessChangeDetection(),
    // The first navigation is started by main.ts, in a task after the one that starts the app.
    provideRouter(routes, withComponentInputBinding(), withDisabledInitialNavigation()),
    // XHR, not fetch: the upload panel needs upload progress events, which fetch cannot report.
    provideHttpClient(withInterceptors([apiPastServiceWorker, sessionExpiryInterceptor])),
    // The installable app (SPEC §6): the shell from cache, push notifications. Production builds only,
    // since only they write ngsw-worker.js; registered once the page is idle, never before it is drawn.
    provideServiceWorker('ngsw-worker.js', { enabled: !isDevMode(), registrationStrategy: 'registerWhenStable:10000' }),
  ],
};
