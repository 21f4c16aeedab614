import { bootstrapApplication } from '@angular/platform-browser';
import { App } from './app/app';
import { appConfig } from './app/app.config';

// Fetch the dashboard's code while the session is being checked, not after: the router's lazy load
// then finds the module already there.
if (!location.pathname.startsWith('/login')) void import('./app/pages/dashboard-page');

bootstrapApplication(App, appConfig).catch((error: unknown) => console.error(error));
