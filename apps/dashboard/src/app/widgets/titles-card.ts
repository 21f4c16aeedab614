import { ChangeDetectionStrategy, Component, inject, input } from '@angular/core';
import { MatCardModule } from '@angular/material/card';
import { RouterLink } from '@angular/router';
import type { TitleSummary } from '@mt/contracts';
import { DateRange } from '../core/analytics-api.service';
import { MoneyPipe, NumberPipe } from '../core/format';
import { liveDataFor } from '../core/live-data';
import { TitlesApi } from '../core/titles-api.service';
import { Delta, ErrorBanner, Skeleton } from './ui';

/** "Shopify 12 · Etsy 3": units per platform, best first. */
export function platformSplit(title: TitleSummary): string {
  const names: Record<string, string> = {
    shopify: 'Shopify',
    etsy: 'Etsy',
    woocommerce: 'WooCommerce',
    amazon: 'Amazon',
    ebay: 'eBay',
  };
  return [...title.platforms]
    .filter((p) => p.units > 0)
    .sort((a, b) => b.units - a.units)
    .map((p) => `${names[p.platform] ?? p.platform} ${p.units}`)
    .join(' · ');
}

/** The top titles of the chosen range: units, revenue, change and platform split; each opens its page. */
@Component({
  selector: 'mt-titles-card',
  imports: [MatCardModule, RouterLink, MoneyPipe, NumberPipe, Delta, ErrorBanner, Skeleton],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <mat-card appearance="outlined" data-testid="titles-card">
      <mat-card-header>
        <mat-card-title>Top titles</mat-card-title>
        @if (data.value(); as d) {
          <mat-card-subtitle>{{ range().from }} – {{ range().to }}, vs the range before</mat-card-subtitle>
        }
      </mat-card-header>
      <mat-card-content>
        @if (data.error(); as error) {
          <mt-error-banner [message]="error" (retry)="data.reload()" />
        }
        @if (data.value(); as d) {
          @if (d.titles.length) {
            <div class="table-scroll">
              <table class="data-table card-rows" data-testid="titles-table">
                <thead>
                  <tr>
                    <th scope="col">Title</th>
                    <th scope="col" class="num">Units</th>
                    <th scope="col" class="num">Revenue</th>
                    <th scope="col" class="num">Change</th>
                  </tr>
                </thead>
                <tbody>
                  @for (title of d.titles; track title.id) {
                    <tr [attr.data-title]="title.id">
                      <th scope="row">
                        <a [routerLink]="['/titles', title.id]" [queryParams]="range()" data-testid="title-link">{{
                          title.title
                        }}</a>
                        <span class="chips">
                          @for (format of title.formats; track format) {
                            <span class="chip" data-testid="format-chip">{{ format }}</span>
                          }
                        </span>
                        <span class="muted split">{{ split(title) }}</span>
                      </th>
                      <td class="num" data-label="Units" data-testid="title-units">{{ title.units | num }}</td>
                      <td class="num amount" data-label="Revenue" data-testid="title-revenue">
                        {{ title.revenue | money: d.currency }}
                      </td>
                      <td class="num" data-label="Change"><mt-delta [change]="title.change" /></td>
                    </tr>
                  }
                </tbody>
              </table>
            </div>
            <p class="muted" data-testid="titles-total">
              All titles: {{ d.total.units | num }} units, {{ d.total.revenue | money: d.currency }}
              @if (d.noLineItems.orders) {
                (of which {{ d.noLineItems.revenue | money: d.currency }} from {{ d.noLineItems.orders | num }} orders
                without line items)
              }
            </p>
          } @else {
            <p class="empty-state">No titles sold in this range.</p>
          }
        } @else if (data.loading()) {
          <mt-skeleton [lines]="5" label="top titles" />
        }
      </mat-card-content>
    </mat-card>
  `,
  styles: `
    .chips {
      display: inline-flex;
      flex-wrap: wrap;
      gap: 4px;
      margin-left: 8px;
    }
    .chip {
      font-size: 0.7rem;
      padding: 1px 6px;
      border-radius: 8px;
      background: var(--mat-sys-secondary-container);
      color: var(--mat-sys-on-secondary-container);
      font-weight: normal;
    }
    .split {
      display: block;
      font-size: 0.8rem;
      font-weight: normal;
    }
  `,
})
export class TitlesCard {
  private readonly api = inject(TitlesApi);
  /** The page's chosen range (calendar days, `to` inclusive). */
  readonly range = input.required<DateRange>();
  readonly limit = input(5);
  readonly data = liveDataFor(
    'sales',
    () => ({ range: this.range(), limit: this.limit() }),
    (p) => this.api.titles(p.range, p.limit),
  );
  protected readonly split = platformSplit;
}
