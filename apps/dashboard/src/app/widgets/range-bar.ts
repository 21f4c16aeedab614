import { ChangeDetectionStrategy, Component, computed, effect, model } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { provideNativeDateAdapter } from '@angular/material/core';
import { MatDatepickerModule } from '@angular/material/datepicker';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSlideToggleModule } from '@angular/material/slide-toggle';
import { DateRange } from '../core/analytics-api.service';

/** A picked calendar day as the API wants it; the API reads it in the business time zone. */
export function toIsoDay(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** The month so far: what year-over-year compares when no range is picked. */
export function monthToDate(today = new Date()): DateRange {
  return { from: toIsoDay(new Date(today.getFullYear(), today.getMonth(), 1)), to: toIsoDay(today) };
}

/** Custom range, year-over-year switch and exports, above the sales cards. */
@Component({
  selector: 'mt-range-bar',
  imports: [
    ReactiveFormsModule,
    MatButtonModule,
    MatDatepickerModule,
    MatFormFieldModule,
    MatInputModule,
    MatSlideToggleModule,
  ],
  providers: [provideNativeDateAdapter()],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="range-bar" role="group" aria-label="Period">
      <mat-form-field appearance="outline" subscriptSizing="dynamic" class="range-field">
        <mat-label>Custom range</mat-label>
        <mat-date-range-input [formGroup]="form" [rangePicker]="picker">
          <input matStartDate formControlName="start" placeholder="Start" data-testid="range-start" />
          <input
            matEndDate
            formControlName="end"
            placeholder="End"
            data-testid="range-end"
            (dateChange)="applyRange()"
          />
        </mat-date-range-input>
        <mat-datepicker-toggle matIconSuffix [for]="picker" />
        <mat-date-range-picker #picker (closed)="applyRange()" />
      </mat-form-field>
      @if (range()) {
        <button mat-stroked-button type="button" (click)="clearRange()" data-testid="range-clear">Back to live</button>
      }
      <mat-slide-toggle [checked]="yearOverYear()" (change)="yearOverYear.set($event.checked)" data-testid="yoy-toggle"
        >Year over year</mat-slide-toggle
      >
      <span class="exports">
        <span class="muted">Export</span>
        @for (link of exportLinks(); track link.href) {
          <a mat-button [href]="link.href" download [attr.data-testid]="'export-' + link.key">{{ link.label }}</a>
        }
      </span>
    </div>
  `,
  styles: `
    .range-bar {
      display: flex;
      flex-wrap: wrap;
      gap: 8px 16px;
      align-items: center;
    }
    .range-field {
      width: min(100%, 300px);
    }
    .exports {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 0 4px;
    }
  `,
})
export class RangeBar {
  /** The chosen range, or null for the live today/week/month cards. */
  readonly range = model<DateRange | null>(null);
  readonly yearOverYear = model(false);
  protected readonly form = new FormGroup({
    start: new FormControl<Date | null>(null),
    end: new FormControl<Date | null>(null),
  });
  protected readonly exportLinks = computed(() => {
    const range = this.range() ?? monthToDate();
    const query = `from=${range.from}&to=${range.to}`;
    return [
      { key: 'orders-csv', label: 'Orders CSV', href: `/api/export/orders?format=csv&${query}` },
      { key: 'orders-xlsx', label: 'Orders XLSX', href: `/api/export/orders?format=xlsx&${query}` },
      { key: 'daily-csv', label: 'Daily CSV', href: `/api/export/daily?format=csv&${query}` },
      { key: 'daily-xlsx', label: 'Daily XLSX', href: `/api/export/daily?format=xlsx&${query}` },
    ];
  });

  constructor() {
    // Cleared from outside (or by "Back to live"): empty the inputs too.
    effect(() => {
      if (this.range() === null && (this.form.value.start || this.form.value.end)) this.form.reset();
    });
  }

  protected applyRange(): void {
    const { start, end } = this.form.value;
    if (!start || !end) return;
    const next = { from: toIsoDay(start), to: toIsoDay(end) };
    const current = this.range();
    if (current?.from !== next.from || current?.to !== next.to) this.range.set(next);
  }

  protected clearRange(): void {
    this.range.set(null);
  }
}
