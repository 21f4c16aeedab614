import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { MatCardModule } from '@angular/material/card';
import { MatSortModule, Sort } from '@angular/material/sort';
import { AnalyticsApi } from '../core/analytics-api.service';
import { MoneyPipe, NumberPipe } from '../core/format';
import { liveData } from '../core/live-data';
import { ErrorBanner, Skeleton } from './ui';

export interface CountryRow {
  country: string | null;
  name: string;
  orders: number;
  revenue: number;
}

/** "GB" → "United Kingdom" in the browser's language; the code itself when the browser cannot say. */
export function countryName(code: string | null): string {
  if (!code) return 'Unknown';
  try {
    return (
      new Intl.DisplayNames(globalThis.navigator?.language ? [globalThis.navigator.language] : undefined, {
        type: 'region',
      }).of(code) ?? code
    );
  } catch {
    return code;
  }
}

/** Rows sorted as MatSort asks; the API's order (orders, then revenue) when no column is chosen. */
export function sortCountries(rows: CountryRow[], sort: Sort): CountryRow[] {
  if (!sort.direction) return rows;
  const factor = sort.direction === 'asc' ? 1 : -1;
  const key = sort.active as 'name' | 'orders' | 'revenue';
  return [...rows].sort((a, b) => {
    const order = key === 'name' ? a.name.localeCompare(b.name) : a[key] - b[key];
    return order * factor;
  });
}

/** The ten countries with the most orders in the last 30 days; columns sortable. */
@Component({
  selector: 'mt-top-countries',
  imports: [MatCardModule, MatSortModule, MoneyPipe, NumberPipe, ErrorBanner, Skeleton],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <mat-card appearance="outlined" data-testid="top-countries">
      <mat-card-header><mat-card-title>Top 10 countries, 30 days</mat-card-title></mat-card-header>
      <mat-card-content>
        @if (data.error(); as error) {
          <mt-error-banner [message]="error" (retry)="data.reload()" />
        }
        @if (data.value(); as d) {
          @if (rows().length) {
            <div class="table-scroll">
              <table class="data-table" matSort (matSortChange)="sort.set($event)" data-testid="countries-table">
                <thead>
                  <tr>
                    <th scope="col">#</th>
                    <th scope="col" mat-sort-header="name">Country</th>
                    <th scope="col" mat-sort-header="orders" arrowPosition="before" class="num">Orders</th>
                    <th scope="col" mat-sort-header="revenue" arrowPosition="before" class="num">Revenue</th>
                  </tr>
                </thead>
                <tbody>
                  @for (row of rows(); track row.country; let i = $index) {
                    <tr [attr.data-country]="row.country">
                      <td>{{ i + 1 }}</td>
                      <th scope="row">{{ row.name }}</th>
                      <td class="num" data-testid="country-orders">{{ row.orders | num }}</td>
                      <td class="num amount" data-testid="country-revenue">{{ row.revenue | money: d.currency }}</td>
                    </tr>
                  }
                </tbody>
              </table>
            </div>
          } @else {
            <p class="empty-state">No orders in the last 30 days.</p>
          }
        } @else if (data.loading()) {
          <mt-skeleton [lines]="8" label="top countries" />
        }
      </mat-card-content>
    </mat-card>
  `,
})
export class TopCountries {
  private readonly api = inject(AnalyticsApi);
  readonly data = liveData('sales', () => this.api.countries(30, 10));
  protected readonly sort = signal<Sort>({ active: '', direction: '' });
  protected readonly rows = computed(() => {
    const countries = (this.data.value()?.countries ?? []).map((c) => ({ ...c, name: countryName(c.country) }));
    return sortCountries(countries, this.sort());
  });
}
