import { bootstrapApplication } from '@angular/platform-browser';
import { Router } from '@angular/router';
import { App } from './app/app';
import { appConfig } from './app/app.config';
import { prepareFormatters } from './app/core/format';

/**
 * Evaluating the code, building the first formatters, starting the app (its shell: the toolbar) and
 * building the page, each in a task of its own: a phone's main thread is never blocked for all of it at
 * once (Lighthouse's Total Blocking Time counts each task's time beyond 50 ms). The router's first
 * navigation waits for this (app.config).
 */
async function start(): Promise<void> {
  await nextTask();
  prepareFormatters();
  await nextTask();
  const app = await bootstrapApplication(App, appConfig);
  await nextTask();
  app.injector.get(Router).initialNavigation();
}

function nextTask(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve));
}

start().catch((error: unknown) => console.error(error));
