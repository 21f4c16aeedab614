import { ChangeDetectionStrategy, Component, afterNextRender, inject, signal } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { ActivatedRoute } from '@angular/router';
import { Observable } from 'rxjs';
import { AuthService } from '../core/auth.service';
import type { FxCurrencyStatus } from '@mt/contracts';
import { formatNumber, timeAgo } from '../core/format';
import { FxApi } from '../core/fx-api.service';
import { describeError, liveData } from '../core/live-data';
import { RefreshService } from '../core/refresh.service';
import { ErrorBanner, Skeleton } from './ui';

/** Settings → Currencies: where rates come from, each currency in use with its last rate and what waits for one. */
@Component({
  selector: 'mt-currencies-card',
  imports: [ReactiveFormsModule, MatButtonModule, MatFormFieldModule, MatInputModule, ErrorBanner, Skeleton],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (data.error(); as error) {
      <mt-error-banner [message]="error" (retry)="data.reload()" />
    }
    @if (data.value(); as d) {
      <p data-testid="fx-source">
        @if (d.source) {
          Daily rates from the ECB (<span class="muted">{{ d.source }}</span
          >): <strong [attr.data-status]="d.fetch.status">{{ d.fetch.status }}</strong>, last fetched
          {{ ago(d.lastFetch) }}.
        } @else {
          The daily ECB fetch is off (FX_RATES_URL=off): rates come from rate files and the form below.
        }
      </p>
      @if (d.fetch.lastError; as problem) {
        <p class="warning" data-testid="fx-fetch-error">Last fetch failed: {{ problem }}</p>
      }
      <table class="currency-table" data-testid="fx-currencies">
        <thead>
          <tr>
            <th scope="col">Currency</th>
            <th scope="col">Last rate</th>
            <th scope="col">Waiting</th>
          </tr>
        </thead>
        <tbody>
          @for (c of d.currencies; track c.currency) {
            <tr [attr.data-currency]="c.currency">
              <td>{{ c.currency }} → {{ d.base }}</td>
              <td>{{ c.lastRateDate ?? 'none' }}</td>
              <td [class.warning]="c.waitingOrders + c.waitingRefunds > 0">
                {{ waiting(c) }}
              </td>
            </tr>
          } @empty {
            <tr>
              <td colspan="3" class="empty-state">Every order is in {{ d.base }}.</td>
            </tr>
          }
        </tbody>
      </table>
      @for (warning of d.warnings; track warning.code) {
        <p class="warning" data-testid="fx-warning">{{ warning.message }}</p>
      }
      @if (isAdmin()) {
        <div class="actions">
          <button
            mat-stroked-button
            type="button"
            [disabled]="!d.source || busy()"
            (click)="fetchNow()"
            data-testid="fx-fetch-now"
          >
            Fetch ECB rates now
          </button>
        </div>
        <form [formGroup]="form" (ngSubmit)="addRate()" class="rate-form" data-testid="fx-rate-form">
          <mat-form-field appearance="outline">
            <mat-label>Date</mat-label>
            <input matInput type="date" formControlName="date" data-testid="fx-rate-date" />
          </mat-form-field>
          <mat-form-field appearance="outline">
            <mat-label>Currency</mat-label>
            <input matInput formControlName="currency" maxlength="3" placeholder="BDT" data-testid="fx-rate-currency" />
          </mat-form-field>
          <mat-form-field appearance="outline">
            <mat-label>1 unit = ? {{ d.base }}</mat-label>
            <input
              matInput
              formControlName="rate"
              inputmode="decimal"
              placeholder="0.0082"
              data-testid="fx-rate-value"
            />
          </mat-form-field>
          <button mat-flat-button type="submit" [disabled]="form.invalid || busy()">Add rate</button>
        </form>
        <p class="muted">
          Or drop a <code>date,currency,rate</code> CSV (or an ECB file) on the dashboard's upload panel.
        </p>
      }
      @if (message(); as text) {
        <p role="status" data-testid="fx-message">{{ text }}</p>
      }
    } @else if (data.loading()) {
      <mt-skeleton [lines]="4" label="currencies" />
    }
  `,
  styles: `
    .currency-table {
      width: 100%;
      border-collapse: collapse;
    }
    .currency-table th,
    .currency-table td {
      text-align: left;
      padding: 6px 4px;
      border-bottom: 1px solid var(--mat-sys-outline-variant);
    }
    .rate-form,
    .actions {
      display: flex;
      flex-wrap: wrap;
      gap: 8px;
      align-items: baseline;
      margin-top: 12px;
    }
    .rate-form mat-form-field {
      flex: 1 1 120px;
      min-width: 0;
    }
  `,
})
export class CurrenciesCard {
  private readonly api = inject(FxApi);
  private readonly refresh = inject(RefreshService);
  protected readonly isAdmin = inject(AuthService).isAdmin;
  readonly data = liveData('sales', () => this.api.status());
  protected readonly busy = signal(false);
  protected readonly message = signal<string | null>(null);
  protected readonly form = new FormGroup({
    date: new FormControl('', { nonNullable: true, validators: [Validators.required] }),
    currency: new FormControl('', {
      nonNullable: true,
      validators: [Validators.required, Validators.pattern(/^[A-Za-z]{3}$/)],
    }),
    rate: new FormControl('', {
      nonNullable: true,
      validators: [Validators.required, Validators.pattern(/^\d+(\.\d+)?$/)],
    }),
  });

  constructor() {
    // The dashboard's warning links to /settings#currencies; the router itself does not scroll to anchors.
    const fragment = inject(ActivatedRoute).snapshot.fragment;
    afterNextRender(() => {
      if (fragment === 'currencies') document.getElementById('currencies')?.scrollIntoView();
    });
  }

  protected waiting(c: FxCurrencyStatus): string {
    const refunds = c.waitingRefunds ? `, ${formatNumber(c.waitingRefunds)} refunds` : '';
    return `${formatNumber(c.waitingOrders)} orders${refunds}`;
  }

  protected ago(iso: string | null): string {
    return timeAgo(iso);
  }

  protected fetchNow(): void {
    this.run(this.api.fetchNow(), (answer) =>
      answer.ran
        ? `Fetched: ${answer.inserted} new rates, ${answer.updated} changed, ${answer.converted.orders} orders converted.`
        : 'A fetch is already running.',
    );
  }

  protected addRate(): void {
    const { date, currency, rate } = this.form.getRawValue();
    this.run(this.api.addRates({ rates: [{ date, currency: currency.toUpperCase(), rate }] }), (answer) => {
      this.form.reset();
      return `Rate added: ${answer.converted.orders} orders and ${answer.converted.refunds} refunds converted.`;
    });
  }

  private run<T>(request: Observable<T>, done: (answer: T) => string): void {
    this.busy.set(true);
    this.message.set(null);
    request.subscribe({
      next: (answer) => {
        this.busy.set(false);
        this.message.set(done(answer));
        this.refresh.request('sales');
      },
      error: (failure: unknown) => {
        this.busy.set(false);
        this.message.set(describeError(failure));
      },
    });
  }
}
