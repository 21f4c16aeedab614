import { bootstrapApplication } from '@angular/platform-browser';
import { App } from './app/app';
import { appConfig } from './app/app.config';
import { PREFETCHED_URLS, prefetch } from './app/core/prefetch';

// On the dashboard, ask for the hero's figures and fetch the page's code while the session is being
// checked, not after it: the cards and the router's lazy load then find both on their way.
const onDashboard = location.pathname === '/' || location.pathname === '';
if (onDashboard) prefetch(PREFETCHED_URLS);
if (!location.pathname.startsWith('/login')) void import('./app/pages/dashboard-page');

bootstrapApplication(App, appConfig).catch((error: unknown) => console.error(error));
