import { ChangeDetectionStrategy, Component, inject, input } from '@angular/core';
import { MatCardModule } from '@angular/material/card';
import type { Platform } from '@mt/contracts';
import { AnalyticsApi, ComparedRange } from '../core/analytics-api.service';
import { BusinessClock } from '../core/business-clock';
import { MoneyPipe, NumberPipe } from '../core/format';
import { liveDataFor } from '../core/live-data';
import { Delta, ErrorBanner, Skeleton } from './ui';

export const PLATFORM_NAMES: Record<Platform, string> = {
  shopify: 'Shopify',
  etsy: 'Etsy',
  woocommerce: 'WooCommerce',
  amazon: 'Amazon',
  ebay: 'eBay',
};

/**
 * Orders and revenue per platform in the chosen range, with the change from the comparison range;
 * Amazon and eBay show "Coming soon" until they sell. Card rows on a phone.
 */
@Component({
  selector: 'mt-platforms-card',
  imports: [MatCardModule, MoneyPipe, NumberPipe, Delta, ErrorBanner, Skeleton],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <mat-card appearance="outlined" data-testid="platforms">
      <mat-card-header>
        <mat-card-title>Platforms</mat-card-title>
        @if (data.value(); as d) {
          <mat-card-subtitle data-testid="card-range"
            >{{ clock.describe(d.from, d.to) }} vs
            {{ clock.describe(d.previous.from, d.previous.to) }}</mat-card-subtitle
          >
        }
      </mat-card-header>
      <mat-card-content>
        @if (data.error(); as error) {
          <mt-error-banner [message]="error" (retry)="data.reload()" />
        }
        @if (data.value(); as d) {
          <div class="table-scroll">
            <table class="data-table card-rows" data-testid="platforms-table">
              <thead>
                <tr>
                  <th scope="col">Platform</th>
                  <th scope="col" class="num">Orders</th>
                  <th scope="col" class="num">Revenue</th>
                  <th scope="col" class="num">Change</th>
                </tr>
              </thead>
              <tbody>
                @for (row of d.platforms; track row.platform) {
                  <tr [attr.data-platform]="row.platform">
                    <th scope="row">
                      {{ names[row.platform] }}
                      <span class="chip" [class.chip-active]="row.status === 'active'" data-testid="platform-status">{{
                        row.status === 'active' ? 'Active' : 'Coming soon'
                      }}</span>
                    </th>
                    <td class="num" data-label="Orders" data-testid="platform-orders">{{ row.orders | num }}</td>
                    <td class="num amount" data-label="Revenue" data-testid="platform-revenue">
                      {{ row.revenue | money: d.currency }}
                    </td>
                    <td class="num" data-label="Change" data-testid="platform-change">
                      <mt-delta [change]="row.change.revenue" />
                    </td>
                  </tr>
                }
              </tbody>
            </table>
          </div>
        } @else if (data.loading()) {
          <mt-skeleton [lines]="5" label="platforms" />
        }
      </mat-card-content>
    </mat-card>
  `,
  styles: `
    .chip {
      margin-left: 6px;
    }
  `,
})
export class PlatformsCard {
  private readonly api = inject(AnalyticsApi);
  protected readonly clock = inject(BusinessClock);
  readonly range = input.required<ComparedRange>();
  readonly data = liveDataFor(
    'sales',
    () => this.range(),
    (range) => this.api.platforms(range),
  );
  protected readonly names = PLATFORM_NAMES;
}
