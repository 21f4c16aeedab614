import { ChangeDetectionStrategy, Component, computed, effect, inject } from '@angular/core';
import { Router, RouterLink, RouterOutlet } from '@angular/router';
import { AuthService } from './core/auth.service';
import { PreferencesService } from './core/preferences.service';
import { SocketService } from './core/socket.service';
import { ConnectionIndicator, OfflineBar, OrderToasts } from './widgets/live-status';

@Component({
  selector: 'mt-root',
  imports: [RouterOutlet, RouterLink, ConnectionIndicator, OfflineBar, OrderToasts],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <a class="skip-link" href="#main">Skip to content</a>
    <!--
      Plain buttons in Material's tokens: Material's button (ripples, focus monitoring) and toolbar were a
      fifth of the first download and of the first render, for four text buttons.
    -->
    <header class="toolbar">
      <a class="brand" routerLink="/">
        <svg class="brand-mark" viewBox="0 0 32 32" width="32" height="32" aria-hidden="true">
          <rect width="32" height="32" rx="10" fill="currentColor" />
          <path class="drop" d="M16 6c4 5.5 7 9.2 7 12.6A7 7 0 0 1 9 18.6C9 15.2 12 11.5 16 6z" />
        </svg>
        <span class="brand-name">MT Ink Dashboard</span>
      </a>
      <span class="spacer"></span>
      @if (auth.user()) {
        <mt-connection-indicator />
      }
      <!-- Wide screens: every control in the bar. A phone folds them into one menu. -->
      <span class="wide-tools">
        @if (auth.user()) {
          <button
            type="button"
            class="tool"
            (click)="preferences.togglePresenterMode()"
            [attr.aria-pressed]="preferences.presenterMode()"
            data-testid="presenter-toggle"
          >
            {{ preferences.presenterMode() ? 'Show amounts' : 'Presenter' }}
          </button>
        }
        <button
          type="button"
          class="tool"
          (click)="preferences.toggleTheme()"
          [attr.aria-label]="themeLabel()"
          data-testid="theme-toggle"
        >
          {{ preferences.theme() === 'dark' ? '☀' : '☾' }}
        </button>
        @if (auth.user()?.email) {
          <a class="tool" routerLink="/settings" data-testid="settings-link">Settings</a>
        }
        @if (auth.user()?.email) {
          <button type="button" class="tool" (click)="logout()" data-testid="logout">Log out</button>
        }
      </span>
      <!-- A native popover: no script of its own, dismissed by Escape or a tap outside. -->
      <button type="button" class="phone-menu" popovertarget="phone-menu" aria-label="Menu" data-testid="phone-menu">
        <svg viewBox="0 0 24 24" width="24" height="24" aria-hidden="true">
          <path fill="currentColor" d="M3 6h18v2H3zm0 5h18v2H3zm0 5h18v2H3z" />
        </svg>
      </button>
      <div id="phone-menu" popover class="menu-panel" #menu (click)="menu.hidePopover()" data-testid="phone-menu-panel">
        @if (auth.user()) {
          <button type="button" class="menu-item" (click)="preferences.togglePresenterMode()">
            {{ preferences.presenterMode() ? 'Show amounts' : 'Presenter mode' }}
          </button>
        }
        <button type="button" class="menu-item" (click)="preferences.toggleTheme()">{{ themeLabel() }}</button>
        @if (auth.user()?.email) {
          <a class="menu-item" routerLink="/settings">Settings</a>
        }
        @if (auth.user()?.email) {
          <button type="button" class="menu-item" (click)="logout()">Log out</button>
        }
      </div>
    </header>
    <mt-offline-bar />
    <main class="content" id="main" tabindex="-1">
      <router-outlet />
    </main>
    <mt-order-toasts />
  `,
  styles: `
    .toolbar {
      position: sticky;
      top: 0;
      z-index: 10;
      display: flex;
      align-items: center;
      box-sizing: border-box;
      height: 64px;
      gap: 4px;
      padding: 0 8px 0 16px;
      flex-wrap: nowrap;
      overflow: hidden;
      white-space: nowrap;
      font: var(--mat-sys-title-large);
      letter-spacing: var(--mat-sys-title-large-tracking);
      color: var(--mat-sys-on-surface);
      background: var(--mat-sys-surface-container);
      border-bottom: 1px solid var(--mat-sys-outline-variant);
    }
    .brand {
      display: inline-flex;
      align-items: center;
      gap: 10px;
      font-weight: 600;
      letter-spacing: 0.02em;
      color: inherit;
      text-decoration: none;
      white-space: nowrap;
      overflow: hidden;
      min-width: 0;
    }
    .brand-mark {
      flex: none;
      color: var(--mat-sys-primary);
    }
    .brand-mark .drop {
      fill: var(--mat-sys-on-primary);
    }
    .brand-name {
      overflow: hidden;
      text-overflow: ellipsis;
    }
    .spacer {
      flex: 1 1 auto;
    }
    .wide-tools {
      display: inline-flex;
      align-items: center;
      gap: 4px;
    }
    /* Material's text button: a pill of the primary colour, its state layer on hover, focus and press. */
    .tool {
      display: inline-flex;
      align-items: center;
      box-sizing: border-box;
      height: 40px;
      padding: 0 8px;
      border: 0;
      border-radius: 20px;
      background: transparent;
      color: var(--mat-sys-primary);
      font: var(--mat-sys-label-large);
      letter-spacing: var(--mat-sys-label-large-tracking);
      text-decoration: none;
      cursor: pointer;
    }
    .tool:hover {
      background: color-mix(in srgb, var(--mat-sys-primary) 8%, transparent);
    }
    .tool:focus-visible,
    .tool:active {
      background: color-mix(in srgb, var(--mat-sys-primary) 12%, transparent);
    }
    /* Material's icon button: 48 px to touch. */
    .phone-menu {
      display: none;
      align-items: center;
      justify-content: center;
      width: 48px;
      height: 48px;
      padding: 0;
      border: 0;
      border-radius: 50%;
      background: transparent;
      color: var(--mat-sys-on-surface-variant);
      cursor: pointer;
    }
    .phone-menu:hover,
    .phone-menu:focus-visible {
      background: color-mix(in srgb, var(--mat-sys-on-surface-variant) 8%, transparent);
    }
    .menu-panel {
      position: fixed;
      inset: 56px 8px auto auto;
      margin: 0;
      min-width: 200px;
      padding: 8px 0;
      border: 1px solid var(--mat-sys-outline-variant);
      border-radius: 12px;
      background: var(--mat-sys-surface-container-high);
      color: var(--mat-sys-on-surface);
      box-shadow: 0 8px 24px rgb(0 0 0 / 0.35);
    }
    .menu-item {
      display: block;
      width: 100%;
      box-sizing: border-box;
      padding: 12px 20px;
      border: 0;
      background: none;
      color: inherit;
      font: inherit;
      text-align: left;
      text-decoration: none;
      cursor: pointer;
    }
    .menu-item:hover,
    .menu-item:focus-visible {
      background: var(--mat-sys-surface-container-highest);
    }
    .content {
      padding: 16px;
      max-width: 1280px;
      margin: 0 auto;
      box-sizing: border-box;
    }
    @media (max-width: 599.98px) {
      .toolbar {
        height: 56px;
      }
      .wide-tools {
        display: none;
      }
      .phone-menu {
        display: inline-flex;
      }
      .content {
        padding: 8px;
      }
      .brand {
        font-size: 1rem;
      }
    }
  `,
})
export class App {
  protected readonly auth = inject(AuthService);
  protected readonly preferences = inject(PreferencesService);
  private readonly socket = inject(SocketService);
  private readonly router = inject(Router);

  constructor() {
    // The live connection follows the session: open while signed in, closed after logout.
    effect(() => {
      if (this.auth.user()) void this.socket.connect();
      else this.socket.disconnect();
    });
  }

  protected readonly themeLabel = computed(
    () => `Switch to ${this.preferences.theme() === 'dark' ? 'light' : 'dark'} theme`,
  );

  protected logout(): void {
    this.auth.logout().subscribe(() => void this.router.navigate(['/login']));
  }
}
