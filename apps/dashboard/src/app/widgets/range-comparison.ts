import { ChangeDetectionStrategy, Component, inject, input } from '@angular/core';
import { MatCardModule } from '@angular/material/card';
import { AnalyticsApi, DateRange } from '../core/analytics-api.service';
import { MoneyPipe, NumberPipe } from '../core/format';
import { liveDataFor } from '../core/live-data';
import { Delta, ErrorBanner, Skeleton } from './ui';

/** The sales cards for a custom range: vs the equally long range before, or vs 364 days earlier. */
@Component({
  selector: 'mt-range-comparison',
  imports: [MatCardModule, MoneyPipe, NumberPipe, Delta, ErrorBanner, Skeleton],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <mat-card appearance="outlined" class="hero" data-testid="range-card">
      <mat-card-header>
        <mat-card-title>{{ yearOverYear() ? 'Year over year' : 'Custom range' }}</mat-card-title>
        @if (data.value(); as d) {
          <mat-card-subtitle data-testid="range-windows"
            >{{ describe(d.current.from, d.current.to, d.timezone) }} vs
            {{ describe(d.previous.from, d.previous.to, d.timezone) }}</mat-card-subtitle
          >
        }
      </mat-card-header>
      <mat-card-content>
        @if (data.error(); as error) {
          <mt-error-banner [message]="error" (retry)="data.reload()" />
        }
        @if (data.value(); as d) {
          <div class="range-figures">
            <div class="range-figure" data-testid="range-orders">
              <span class="label">Orders</span>
              <span class="line"
                >{{ d.previous.orders | num }} → <strong>{{ d.current.orders | num }}</strong> orders</span
              >
              <mt-delta [change]="d.change.orders" />
            </div>
            <div class="range-figure" data-testid="range-revenue">
              <span class="label">Revenue</span>
              <span class="line amount"
                >{{ d.previous.revenue | money: d.currency }} →
                <strong>{{ d.current.revenue | money: d.currency }}</strong></span
              >
              <mt-delta [change]="d.change.revenue" />
            </div>
            <div class="range-figure" data-testid="range-aov">
              <span class="label">AOV</span>
              <span class="line amount"
                >{{ d.previous.aov | money: d.currency }} →
                <strong>{{ d.current.aov | money: d.currency }}</strong></span
              >
              <mt-delta [change]="d.change.aov" />
            </div>
          </div>
          @if (d.current.orders === 0) {
            <p class="empty-state">No orders in this range.</p>
          }
        } @else if (data.loading()) {
          <mt-skeleton [lines]="3" label="range comparison" />
        }
      </mat-card-content>
    </mat-card>
  `,
  styles: `
    .range-figures {
      display: grid;
      grid-template-columns: repeat(auto-fit, minmax(min(100%, 200px), 1fr));
      gap: 16px;
    }
    .range-figure {
      display: flex;
      flex-direction: column;
      gap: 4px;
      min-width: 0;
    }
    .line {
      font-size: 1.2rem;
      overflow-wrap: anywhere;
    }
    .label {
      font-size: 0.8rem;
      text-transform: uppercase;
      letter-spacing: 0.08em;
      color: var(--mat-sys-on-surface-variant);
    }
  `,
})
export class RangeComparison {
  private readonly api = inject(AnalyticsApi);
  readonly range = input.required<DateRange>();
  readonly yearOverYear = input(false);
  readonly data = liveDataFor(
    'sales',
    () => ({ range: this.range(), yoy: this.yearOverYear() }),
    (p) => this.api.range(p.range, p.yoy),
  );

  /** Windows are [from, to) in the business zone: show the last day inside, not the exclusive end. */
  protected describe(from: string, to: string, timeZone: string): string {
    const format = new Intl.DateTimeFormat(globalThis.navigator?.language, {
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      timeZone,
    });
    const lastDay = new Date(new Date(to).getTime() - 1);
    return `${format.format(new Date(from))} – ${format.format(lastDay)}`;
  }
}
