import { bootstrapApplication } from '@angular/platform-browser';
import { App } from './app/app';
import { appConfig } from './app/app.config';

// Evaluating the code and the first render in two tasks, not one: a phone's main thread is never blocked
// for both at once (Lighthouse's Total Blocking Time counts each task's time beyond 50 ms).
setTimeout(() => bootstrapApplication(App, appConfig).catch((error: unknown) => console.error(error)));
