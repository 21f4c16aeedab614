import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { MatCardModule } from '@angular/material/card';
import { RouterLink } from '@angular/router';
import { AuthService } from '../core/auth.service';
import { AnalyticsApi } from '../core/analytics-api.service';
import { MoneyPipe, NumberPipe, clockTime } from '../core/format';
import { liveData } from '../core/live-data';
import { Delta, ErrorBanner, Skeleton } from './ui';

/** Today so far vs yesterday at the same wall-clock time, and yesterday's full day (SPEC §6). */
@Component({
  selector: 'mt-hero-card',
  imports: [MatCardModule, RouterLink, MoneyPipe, NumberPipe, Delta, ErrorBanner, Skeleton],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <mat-card class="hero" appearance="outlined" data-testid="hero-card">
      <mat-card-header>
        <mat-card-title>Today</mat-card-title>
        @if (asOf(); as time) {
          <mat-card-subtitle data-testid="hero-as-of"
            >as of {{ time }} ({{ data.value()?.timezone }})</mat-card-subtitle
          >
        }
      </mat-card-header>
      <mat-card-content>
        @if (data.error(); as error) {
          <mt-error-banner [message]="error" (retry)="data.reload()" />
        }
        @if (data.value(); as d) {
          <div class="hero-figures">
            <div class="hero-figure">
              <span class="label">Orders</span>
              <span class="big" data-testid="hero-orders">{{ d.today.orders | num }}</span>
              <mt-delta [change]="d.change.orders" data-testid="hero-orders-change" />
              <span class="muted"
                >yesterday by now: <span data-testid="hero-yesterday-orders">{{ d.yesterday.orders | num }}</span></span
              >
            </div>
            <div class="hero-figure">
              <span class="label">Revenue</span>
              <span class="big amount" data-testid="hero-revenue">{{ d.today.revenue | money: d.currency }}</span>
              <mt-delta [change]="d.change.revenue" data-testid="hero-revenue-change" />
              <span class="muted"
                >yesterday by now:
                <span class="amount" data-testid="hero-yesterday-revenue">{{
                  d.yesterday.revenue | money: d.currency
                }}</span></span
              >
            </div>
          </div>
          <p class="hero-footer" data-testid="hero-yesterday-full">
            Yesterday, full day: {{ d.yesterdayFullDay.orders | num }} orders ·
            <span class="amount">{{ d.yesterdayFullDay.revenue | money: d.currency }}</span>
          </p>
          @if (d.today.orders === 0) {
            <p class="empty-state">No orders yet today.</p>
          }
          @for (warning of d.warnings; track warning.code) {
            <p class="warning" data-testid="hero-warning">
              {{ warning.message }}
              @if (isAdmin()) {
                <a routerLink="/settings" fragment="currencies">Currencies</a>
              }
            </p>
          }
        } @else if (data.loading()) {
          <mt-skeleton [lines]="4" label="today's sales" />
        }
      </mat-card-content>
    </mat-card>
  `,
  styles: `
    .hero-figures {
      display: grid;
      grid-template-columns: repeat(2, minmax(0, 1fr));
      gap: 16px;
    }
    .hero-figure {
      display: flex;
      flex-direction: column;
      gap: 4px;
      min-width: 0;
    }
    .big {
      font-size: clamp(1.6rem, 6vw, 2.6rem);
      font-weight: 600;
      line-height: 1.1;
      overflow-wrap: anywhere;
    }
    .label {
      text-transform: uppercase;
      font-size: 0.75rem;
      letter-spacing: 0.08em;
      color: var(--mat-sys-on-surface-variant);
    }
    .hero-footer {
      margin: 16px 0 0;
      color: var(--mat-sys-on-surface-variant);
    }
  `,
})
export class HeroCard {
  private readonly api = inject(AnalyticsApi);
  protected readonly isAdmin = inject(AuthService).isAdmin;
  readonly data = liveData('sales', () => this.api.todayVsYesterday());
  protected readonly asOf = computed(() => {
    const value = this.data.value();
    return value ? clockTime(value.asOf, value.timezone) : null;
  });
}
