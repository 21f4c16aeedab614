import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { HttpClient } from '@angular/common/http';
import { MatCardModule } from '@angular/material/card';
import type { HealthResponse } from '@mt/contracts';

/** The one page of the dashboard; its sections arrive with their API endpoints. */
@Component({
  selector: 'mt-dashboard-page',
  imports: [MatCardModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <mat-card appearance="outlined">
      <mat-card-header><mat-card-title>Status</mat-card-title></mat-card-header>
      <mat-card-content>
        @if (health(); as h) {
          <p data-testid="health-status">API {{ h.status }}, database {{ h.database.status }}</p>
        } @else {
          <p>Checking the API…</p>
        }
      </mat-card-content>
    </mat-card>
  `,
})
export class DashboardPage {
  private readonly http = inject(HttpClient);
  readonly health = signal<HealthResponse | null>(null);

  constructor() {
    this.http.get<HealthResponse>('/api/health').subscribe({
      next: (health) => this.health.set(health),
      error: () => this.health.set(null),
    });
  }
}
