import {
  ChangeDetectionStrategy,
  Component,
  Injectable,
  afterNextRender,
  effect,
  input,
  output,
  viewChild,
} from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule } from '@angular/forms';
import { DateAdapter, NativeDateAdapter, provideNativeDateAdapter } from '@angular/material/core';
import { MatDatepickerModule, MatDateRangePicker } from '@angular/material/datepicker';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { parseLocalDate } from '@mt/periods';
import { DateRange, toIsoDay } from '../core/range';

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

/**
 * The days field with its calendar (Material's date range picker, Monday first). It is heavy, so the
 * range bar loads it only when someone asks for other days, and it opens its calendar at once.
 */
@Component({
  selector: 'mt-range-picker',
  imports: [ReactiveFormsModule, MatDatepickerModule, MatFormFieldModule, MatInputModule],
  providers: [provideNativeDateAdapter(), { provide: DateAdapter, useClass: MondayFirstDateAdapter }],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <mat-form-field appearance="outline" subscriptSizing="dynamic" class="days-field">
      <mat-label>Days</mat-label>
      <mat-date-range-input [formGroup]="form" [rangePicker]="picker">
        <input matStartDate formControlName="start" placeholder="Start" data-testid="range-start" />
        <input matEndDate formControlName="end" placeholder="End" data-testid="range-end" (dateChange)="apply()" />
      </mat-date-range-input>
      <mat-datepicker-toggle matIconSuffix [for]="picker" />
      <mat-date-range-picker #picker (closed)="apply()" />
    </mat-form-field>
  `,
  styles: `
    .days-field {
      width: 260px;
      max-width: 100%;
    }
  `,
})
export class RangePicker {
  /** The days shown now, which the fields start with. */
  readonly days = input<DateRange | null>(null);
  readonly picked = output<DateRange>();
  private readonly picker = viewChild.required<MatDateRangePicker<Date>>('picker');
  protected readonly form = new FormGroup({
    start: new FormControl<Date | null>(null),
    end: new FormControl<Date | null>(null),
  });

  constructor() {
    effect(() => {
      const days = this.days();
      if (days) this.form.setValue({ start: fromIsoDay(days.from), end: fromIsoDay(days.to) }, { emitEvent: false });
    });
    afterNextRender(() => this.picker().open());
  }

  /** Days picked or typed: handed on unless they are the ones already shown. */
  protected apply(): void {
    const { start, end } = this.form.value;
    if (!start || !end || start > end) return;
    const days = { from: toIsoDay(start), to: toIsoDay(end) };
    const shown = this.days();
    if (shown?.from !== days.from || shown.to !== days.to) this.picked.emit(days);
  }
}
