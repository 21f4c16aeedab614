import { bootstrapApplication } from '@angular/platform-browser';
import { Router } from '@angular/router';
import { App } from './app/app';
import { appConfig } from './app/app.config';

// Evaluating the code, starting the app (its shell: the toolbar) and building the page in three tasks,
// not one: a phone's main thread is never blocked for all of it at once (Lighthouse's Total Blocking
// Time counts each task's time beyond 50 ms). The router's first navigation waits for this (app.config).
setTimeout(() =>
  bootstrapApplication(App, appConfig)
    .then((app) => setTimeout(() => app.injector.get(Router).initialNavigation()))
    .catch((error: unknown) => console.error(error)),
);
