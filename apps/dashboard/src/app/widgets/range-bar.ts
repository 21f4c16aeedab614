import { ChangeDetectionStrategy, Component, Injectable, computed, effect, input, output, signal } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatButtonToggleModule } from '@angular/material/button-toggle';
import { DateAdapter, NativeDateAdapter, provideNativeDateAdapter } from '@angular/material/core';
import { MatDatepickerModule, MatDateRangePicker } from '@angular/material/datepicker';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { parseLocalDate } from '@mt/periods';
import type { CompareWith } from '../core/contracts-next';
import { COMPARE_LABELS, DateRange, PRESETS, PresetKey, RangeView, viewLabel } from '../core/range';

/** A picked calendar day as the API wants it; the API reads it in the business time zone. */
export function toIsoDay(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

function fromIsoDay(day: string): Date {
  const { year, month, day: d } = parseLocalDate(day);
  return new Date(year, month - 1, d);
}

/** Weeks start on Monday (SPEC §2), whatever the browser's locale says. */
@Injectable()
export class MondayFirstDateAdapter extends NativeDateAdapter {
  override getFirstDayOfWeek(): number {
    return 1;
  }
}

/** Which range the page shows (a preset or picked days), what it is compared with, and its exports. */
@Component({
  selector: 'mt-range-bar',
  imports: [
    ReactiveFormsModule,
    MatButtonModule,
    MatButtonToggleModule,
    MatDatepickerModule,
    MatFormFieldModule,
    MatInputModule,
    MatSelectModule,
  ],
  providers: [provideNativeDateAdapter(), { provide: DateAdapter, useClass: MondayFirstDateAdapter }],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="range-bar">
      <!-- On a phone the controls fold under one line that says what is shown, so the hero stays on the first screen. -->
      <button
        type="button"
        class="range-summary"
        (click)="open.set(!open())"
        [attr.aria-expanded]="open()"
        aria-controls="range-controls"
        data-testid="range-menu"
      >
        <span class="range-name">{{ label() }}</span>
        <span class="muted">vs {{ compareLabel() }}</span>
        <span class="caret" aria-hidden="true">{{ open() ? '▴' : '▾' }}</span>
      </button>
      <div id="range-controls" class="range-controls" [class.open]="open()" role="group" aria-label="Range shown">
        <mat-form-field appearance="outline" subscriptSizing="dynamic" class="preset-field">
          <mat-label>Range</mat-label>
          <mat-select
            [value]="view().preset"
            (selectionChange)="choosePreset($event.value, picker)"
            data-testid="range-preset"
            panelWidth="auto"
          >
            @for (preset of presets; track preset.key) {
              <mat-option [value]="preset.key">{{ preset.label }}</mat-option>
            }
            <mat-option value="custom">Custom…</mat-option>
          </mat-select>
        </mat-form-field>
        <mat-form-field appearance="outline" subscriptSizing="dynamic" class="days-field">
          <mat-label>Days</mat-label>
          <mat-date-range-input [formGroup]="form" [rangePicker]="picker">
            <input matStartDate formControlName="start" placeholder="Start" data-testid="range-start" />
            <input
              matEndDate
              formControlName="end"
              placeholder="End"
              data-testid="range-end"
              (dateChange)="applyDays()"
            />
          </mat-date-range-input>
          <mat-datepicker-toggle matIconSuffix [for]="picker" />
          <mat-date-range-picker #picker (closed)="applyDays()" />
        </mat-form-field>
        <mat-button-toggle-group
          [value]="view().compare"
          (change)="chooseCompare($event.value)"
          aria-label="Compare with"
          hideSingleSelectionIndicator
          data-testid="range-compare"
        >
          <mat-button-toggle value="previous">Previous period</mat-button-toggle>
          <mat-button-toggle value="yoy">Year over year</mat-button-toggle>
        </mat-button-toggle-group>
        <span class="exports">
          <span class="muted">Export</span>
          @for (link of exportLinks(); track link.key) {
            <a mat-button [href]="link.href" download [attr.data-testid]="'export-' + link.key">{{ link.label }}</a>
          }
        </span>
      </div>
    </div>
  `,
  styles: `
    .range-controls {
      display: flex;
      flex-wrap: wrap;
      gap: 8px 12px;
      align-items: center;
    }
    .preset-field {
      width: 180px;
    }
    .days-field {
      width: 250px;
    }
    .exports {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 0 2px;
    }
    .exports a {
      min-width: 0;
      padding: 0 8px;
    }
    .range-summary {
      display: none;
    }
    @media (max-width: 599.98px) {
      .range-summary {
        display: flex;
        width: 100%;
        align-items: baseline;
        gap: 8px;
        padding: 10px 14px;
        border: 1px solid var(--mat-sys-outline-variant);
        border-radius: 12px;
        background: var(--mt-card);
        color: inherit;
        font: inherit;
        text-align: left;
        cursor: pointer;
      }
      .range-name {
        font-weight: 600;
      }
      .caret {
        margin-left: auto;
      }
      .range-controls {
        display: none;
      }
      .range-controls.open {
        display: flex;
        flex-direction: column;
        align-items: stretch;
        padding: 12px 0 4px;
      }
      .preset-field,
      .days-field {
        width: 100%;
      }
    }
  `,
})
export class RangeBar {
  readonly view = input.required<RangeView>();
  /** The days the view stands for today (null until the business zone is known). */
  readonly days = input<DateRange | null>(null);
  readonly viewChange = output<RangeView>();
  protected readonly presets = PRESETS;
  protected readonly open = signal(false);
  protected readonly label = computed(() => viewLabel(this.view()));
  protected readonly compareLabel = computed(() => COMPARE_LABELS[this.view().compare]);
  protected readonly form = new FormGroup({
    start: new FormControl<Date | null>(null),
    end: new FormControl<Date | null>(null),
  });
  protected readonly exportLinks = computed(() => {
    const days = this.days();
    const query = days ? `&from=${days.from}&to=${days.to}` : '';
    return [
      { key: 'orders-csv', label: 'Orders CSV', href: `/api/export/orders?format=csv${query}` },
      { key: 'orders-xlsx', label: 'Orders XLSX', href: `/api/export/orders?format=xlsx${query}` },
      { key: 'daily-csv', label: 'Daily CSV', href: `/api/export/daily?format=csv${query}` },
      { key: 'daily-xlsx', label: 'Daily XLSX', href: `/api/export/daily?format=xlsx${query}` },
    ];
  });

  constructor() {
    // The fields show the days of whatever is chosen, a preset included.
    effect(() => {
      const days = this.days();
      if (days) this.form.setValue({ start: fromIsoDay(days.from), end: fromIsoDay(days.to) }, { emitEvent: false });
    });
  }

  /** A preset is shown at once; "Custom…" opens the calendar and waits for the days. */
  protected choosePreset(preset: PresetKey | 'custom', picker: MatDateRangePicker<Date>): void {
    if (preset === 'custom') {
      picker.open();
      return;
    }
    this.viewChange.emit({ preset, compare: this.view().compare });
    this.open.set(false);
  }

  protected chooseCompare(compare: CompareWith): void {
    this.viewChange.emit({ ...this.view(), compare });
  }

  /** Days picked or typed: a custom range, unless they are the ones already shown. */
  protected applyDays(): void {
    const { start, end } = this.form.value;
    if (!start || !end || start > end) return;
    const custom = { from: toIsoDay(start), to: toIsoDay(end) };
    const shown = this.days();
    if (shown?.from === custom.from && shown.to === custom.to) return;
    this.viewChange.emit({ preset: 'custom', custom, compare: this.view().compare });
    this.open.set(false);
  }
}
