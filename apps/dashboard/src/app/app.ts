import { ChangeDetectionStrategy, Component, effect, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatToolbarModule } from '@angular/material/toolbar';
import { Router, RouterLink, RouterOutlet } from '@angular/router';
import { AuthService } from './core/auth.service';
import { PreferencesService } from './core/preferences.service';
import { SocketService } from './core/socket.service';
import { ConnectionIndicator, OrderToasts } from './widgets/live-status';

@Component({
  selector: 'mt-root',
  imports: [RouterOutlet, RouterLink, MatToolbarModule, MatButtonModule, ConnectionIndicator, OrderToasts],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <a class="skip-link" href="#main">Skip to content</a>
    <mat-toolbar class="toolbar" role="banner">
      <a class="brand" routerLink="/">MT Ink Dashboard</a>
      <span class="spacer"></span>
      @if (auth.user()) {
        <mt-connection-indicator />
        <button
          mat-button
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
        mat-button
        type="button"
        class="tool"
        (click)="preferences.toggleTheme()"
        [attr.aria-label]="'Switch to ' + (preferences.theme() === 'dark' ? 'light' : 'dark') + ' theme'"
        data-testid="theme-toggle"
      >
        {{ preferences.theme() === 'dark' ? '☀' : '☾' }}
      </button>
      @if (auth.isAdmin() && auth.user()?.email) {
        <a mat-button class="tool" routerLink="/settings" data-testid="settings-link">Settings</a>
      }
      @if (auth.user()?.email) {
        <button mat-button type="button" class="tool" (click)="logout()" data-testid="logout">Log out</button>
      }
    </mat-toolbar>
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
      gap: 4px;
      padding: 0 8px 0 16px;
      flex-wrap: nowrap;
      overflow: hidden;
    }
    .brand {
      font-weight: 600;
      letter-spacing: 0.02em;
      color: inherit;
      text-decoration: none;
      white-space: nowrap;
      overflow: hidden;
      text-overflow: ellipsis;
      min-width: 0;
    }
    .spacer {
      flex: 1 1 auto;
    }
    .tool {
      min-width: 0;
      padding: 0 8px;
    }
    .content {
      padding: 16px;
      max-width: 1280px;
      margin: 0 auto;
      box-sizing: border-box;
    }
    @media (max-width: 480px) {
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

  protected logout(): void {
    this.auth.logout().subscribe(() => void this.router.navigate(['/login']));
  }
}
