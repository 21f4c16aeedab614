import { ChangeDetectionStrategy, Component } from '@angular/core';
import { RouterOutlet } from '@angular/router';
import { MatToolbarModule } from '@angular/material/toolbar';

@Component({
  selector: 'mt-root',
  imports: [RouterOutlet, MatToolbarModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <mat-toolbar class="toolbar" role="banner">
      <span class="brand">MT Ink Dashboard</span>
    </mat-toolbar>
    <main class="content">
      <router-outlet />
    </main>
  `,
  styles: `
    .toolbar { position: sticky; top: 0; z-index: 10; }
    .brand { font-weight: 600; letter-spacing: 0.02em; }
    .content { padding: 16px; max-width: 1280px; margin: 0 auto; box-sizing: border-box; }
  `,
})
export class App {}
