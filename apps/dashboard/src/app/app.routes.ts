import { Routes } from '@angular/router';
import { signedInGuard } from './core/auth.guard';
import { DashboardPage } from './pages/dashboard-page';

export const routes: Routes = [
  {
    path: 'login',
    title: 'Sign in · MT Ink Dashboard',
    loadComponent: () => import('./pages/login-page').then((m) => m.LoginPage),
  },
  {
    path: 'settings',
    title: 'Settings · MT Ink Dashboard',
    canActivate: [signedInGuard],
    loadComponent: () => import('./pages/settings-page').then((m) => m.SettingsPage),
  },
  {
    path: 'titles/:id',
    title: 'Title · MT Ink Dashboard',
    canActivate: [signedInGuard],
    loadComponent: () => import('./pages/title-page').then((m) => m.TitlePage),
  },
  {
    // The page people come for is in the first download: no second round trip for its code. Its cards
    // below the fold load as they come into view.
    path: '',
    title: 'MT Ink Dashboard',
    canActivate: [signedInGuard],
    component: DashboardPage,
  },
  { path: '**', redirectTo: '' },
];
