import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { AbstractControl, FormControl, FormGroup, ReactiveFormsModule, ValidationErrors } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import type { GoalSettings } from '@mt/contracts';
import { MoneyPipe } from '../core/format';
import { GoalsApi } from '../core/goals-api.service';
import { describeError } from '../core/live-data';
import { PreferencesService } from '../core/preferences.service';
import { RefreshService } from '../core/refresh.service';
import { PresenterNotice, Skeleton } from './ui';

/** The largest goal the API takes. */
export const GOAL_MAX = 1_000_000_000;

/**
 * Digits with a dot and at most 2 decimals. No thousands separators: "1,500" is 1.5 in half the
 * world's locales and 1500 in the other, so it is refused rather than guessed.
 */
const GOAL_AMOUNT = /^\d+(\.\d{1,2})?$/;

/** Why the text in the goal field is not a goal, in words for the field's error line; null when it is one. */
export function goalAmountProblem(text: string): string | null {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  if (!GOAL_AMOUNT.test(trimmed)) return 'Enter an amount like 5000 or 5000.50: digits, a dot, at most 2 decimals.';
  const amount = Number(trimmed);
  if (amount === 0) return 'The goal must be more than 0; leave the field empty for no goal.';
  if (amount > GOAL_MAX) return 'The goal can be at most 1,000,000,000.';
  return null;
}

/** The field's text as the API takes it: null (no goal) when empty. Only for text `goalAmountProblem` accepts. */
export function goalAmount(text: string): number | null {
  const trimmed = text.trim();
  return trimmed === '' ? null : Number(trimmed);
}

function goalAmountValidator(control: AbstractControl<string>): ValidationErrors | null {
  const problem = goalAmountProblem(control.value);
  return problem ? { goalAmount: problem } : null;
}

/** Admin: the monthly revenue goal in the base currency that the dashboard's goal card measures against. */
@Component({
  selector: 'mt-goal-settings',
  imports: [
    ReactiveFormsModule,
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
    MoneyPipe,
    PresenterNotice,
    Skeleton,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (error(); as message) {
      <p class="error-banner" role="alert" data-testid="goal-error">{{ message }}</p>
    }
    @if (presenter()) {
      <mt-presenter-notice subject="the monthly goal" />
    } @else if (currency(); as currency) {
      <form [formGroup]="form" (ngSubmit)="saveGoal()" class="stacked-form" data-testid="goal-form">
        <mat-form-field appearance="outline">
          <mat-label>Goal ({{ currency }} a month, empty for none)</mat-label>
          <input
            matInput
            inputmode="decimal"
            autocomplete="off"
            formControlName="monthlyRevenue"
            data-testid="goal-input"
          />
          <mat-hint>e.g. 5000 or 5000.50</mat-hint>
          @if (form.controls.monthlyRevenue.errors?.['goalAmount']; as problem) {
            <mat-error data-testid="goal-input-error">{{ problem }}</mat-error>
          }
        </mat-form-field>
        @if (saved(); as goal) {
          <p role="status" data-testid="goal-saved">
            @if (goal.monthlyRevenue === null) {
              Saved: no monthly goal.
            } @else {
              Saved: the goal is {{ goal.monthlyRevenue | money: goal.currency }} a month.
            }
          </p>
        }
        <div class="form-actions">
          <button mat-flat-button type="submit" [disabled]="busy()" data-testid="goal-save">Save goal</button>
        </div>
      </form>
    } @else if (!error()) {
      <mt-skeleton [lines]="2" label="monthly goal" />
    }
  `,
})
export class GoalSettingsForm {
  private readonly api = inject(GoalsApi);
  private readonly refresh = inject(RefreshService);
  protected readonly presenter = inject(PreferencesService).presenterMode;
  readonly form = new FormGroup({
    monthlyRevenue: new FormControl('', { nonNullable: true, validators: [goalAmountValidator] }),
  });
  /** The base currency, once the goal has loaded: the form waits for it, so that it never saves over an unseen goal. */
  protected readonly currency = signal<string | null>(null);
  protected readonly busy = signal(false);
  /** What the last save stored, until the field changes again. */
  protected readonly saved = signal<GoalSettings | null>(null);
  protected readonly error = signal<string | null>(null);

  constructor() {
    this.form.valueChanges.pipe(takeUntilDestroyed()).subscribe(() => this.saved.set(null));
    this.api.settings().subscribe({
      next: (settings) => {
        this.showGoal(settings);
        this.currency.set(settings.currency);
      },
      error: (failure: unknown) => this.error.set(describeError(failure)),
    });
  }

  saveGoal(): void {
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    this.busy.set(true);
    this.api.save({ monthlyRevenue: goalAmount(this.form.getRawValue().monthlyRevenue) }).subscribe({
      next: (settings) => {
        this.busy.set(false);
        this.error.set(null);
        this.showGoal(settings);
        this.saved.set(settings);
        // The goal card measures against it.
        this.refresh.request('sales');
      },
      error: (failure: unknown) => {
        this.busy.set(false);
        this.error.set(describeError(failure));
      },
    });
  }

  private showGoal(settings: GoalSettings): void {
    const text = settings.monthlyRevenue === null ? '' : String(settings.monthlyRevenue);
    this.form.setValue({ monthlyRevenue: text }, { emitEvent: false });
  }
}
