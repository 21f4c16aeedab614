import { Routes } from '@angular/router';
import { adminGuard, signedInGuard } from './core/auth.guard';

export const routes: Routes = [
  {
    path: 'login',
    title: 'Sign in · MT Ink Dashboard',
    loadComponent: () => import('./pages/login-page').then((m) => m.LoginPage),
  },
  {
    path: 'settings',
    title: 'Settings · MT Ink Dashboard',
    canActivate: [signedInGuard, adminGuard],
    loadComponent: () => import('./pages/settings-page').then((m) => m.SettingsPage),
  },
  {
    path: 'titles/:id',
    title: 'Title · MT Ink Dashboard',
    canActivate: [signedInGuard],
    loadComponent: () => import('./pages/title-page').then((m) => m.TitlePage),
  },
  {
    path: '',
    title: 'MT Ink Dashboard',
    canActivate: [signedInGuard],
    loadComponent: () => import('./pages/dashboard-page').then((m) => m.DashboardPage),
  },
  { path: '**', redirectTo: '' },
];
