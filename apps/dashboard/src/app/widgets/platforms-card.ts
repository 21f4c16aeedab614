import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { MatCardModule } from '@angular/material/card';
import type { Platform } from '@mt/contracts';
import { AnalyticsApi } from '../core/analytics-api.service';
import { MoneyPipe, NumberPipe } from '../core/format';
import { liveData } from '../core/live-data';
import { ErrorBanner, Skeleton } from './ui';

export const PLATFORM_NAMES: Record<Platform, string> = {
  shopify: 'Shopify',
  etsy: 'Etsy',
  woocommerce: 'WooCommerce',
  amazon: 'Amazon',
  ebay: 'eBay',
};

/** Orders and revenue per platform over 30 days; Amazon and eBay show "Coming soon" until they sell. */
@Component({
  selector: 'mt-platforms-card',
  imports: [MatCardModule, MoneyPipe, NumberPipe, ErrorBanner, Skeleton],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <mat-card appearance="outlined" data-testid="platforms">
      <mat-card-header><mat-card-title>Platforms, 30 days</mat-card-title></mat-card-header>
      <mat-card-content>
        @if (data.error(); as error) {
          <mt-error-banner [message]="error" (retry)="data.reload()" />
        }
        @if (data.value(); as d) {
          <div class="table-scroll">
            <table class="data-table" data-testid="platforms-table">
              <thead>
                <tr>
                  <th scope="col">Platform</th>
                  <th scope="col">Status</th>
                  <th scope="col" class="num">Orders</th>
                  <th scope="col" class="num">Revenue</th>
                </tr>
              </thead>
              <tbody>
                @for (row of d.platforms; track row.platform) {
                  <tr [attr.data-platform]="row.platform">
                    <th scope="row">{{ names[row.platform] }}</th>
                    <td>
                      <span class="chip" [class.chip-active]="row.status === 'active'" data-testid="platform-status">{{
                        row.status === 'active' ? 'Active' : 'Coming soon'
                      }}</span>
                    </td>
                    <td class="num" data-testid="platform-orders">{{ row.orders | num }}</td>
                    <td class="num amount" data-testid="platform-revenue">{{ row.revenue | money: d.currency }}</td>
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
})
export class PlatformsCard {
  private readonly api = inject(AnalyticsApi);
  readonly data = liveData('sales', () => this.api.platforms(30));
  protected readonly names = PLATFORM_NAMES;
}
