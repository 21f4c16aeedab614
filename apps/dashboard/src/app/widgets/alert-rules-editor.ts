import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { FormControl, FormGroup, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSlideToggleModule } from '@angular/material/slide-toggle';
import { ALERT_KINDS, type AlertKind, type AlertRule, type AlertRuleRequest } from '@mt/contracts';
import { ALERT_KIND_NAMES, AlertsApi } from '../core/alerts-api.service';
import { MASKED_AMOUNT, UnlessPresentingPipe } from '../core/format';
import { describeError } from '../core/live-data';
import { PreferencesService } from '../core/preferences.service';
import { RefreshService } from '../core/refresh.service';
import { Skeleton } from './ui';

/** The fields a rule's kind needs, with the rest null (the API refuses what a kind does not use). */
export function ruleRequest(rule: {
  kind: AlertKind;
  name?: string | null;
  enabled?: boolean;
  threshold?: number | null;
  hours?: number | null;
  activeFrom?: string | null;
  activeTo?: string | null;
  sendAt?: string | null;
}): AlertRuleRequest {
  const { kind } = rule;
  const milestone = kind === 'day_revenue' || kind === 'week_orders';
  return {
    kind,
    name: rule.name?.trim() || undefined,
    enabled: rule.enabled ?? true,
    threshold: milestone ? (rule.threshold ?? null) : null,
    hours: kind === 'silence' ? (rule.hours ?? null) : null,
    activeFrom: kind === 'silence' ? rule.activeFrom || null : null,
    activeTo: kind === 'silence' ? rule.activeTo || null : null,
    sendAt: kind === 'daily_digest' ? rule.sendAt || null : null,
  };
}

/**
 * "≥ 1,000", "12 h between 08:00 and 22:00", "at 07:30": what a rule waits for; `amount` writes a
 * revenue threshold (presenter mode masks it).
 */
export function ruleCondition(
  rule: AlertRule,
  amount: (threshold: number) => string = (threshold) => threshold.toLocaleString(),
): string {
  switch (rule.kind) {
    case 'day_revenue':
      return `revenue ≥ ${amount(rule.threshold ?? 0)} in a day`;
    case 'week_orders':
      return `≥ ${rule.threshold?.toLocaleString()} orders in a week`;
    case 'best_day':
      return 'revenue above the best earlier day';
    case 'silence':
      return `no order for ${rule.hours} h, watched ${rule.activeFrom}–${rule.activeTo}`;
    case 'daily_digest':
      return `yesterday's figures at ${rule.sendAt}`;
  }
}

/** Admin: the alert rules, each switched on or off, added or removed. */
@Component({
  selector: 'mt-alert-rules-editor',
  imports: [
    ReactiveFormsModule,
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
    MatSlideToggleModule,
    UnlessPresentingPipe,
    Skeleton,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (error(); as message) {
      <p class="error-banner" role="alert">{{ message }}</p>
    }
    @if (rules(); as list) {
      <ul class="rule-list" data-testid="alert-rules">
        @for (rule of list; track rule.id) {
          <li data-testid="alert-rule" [attr.data-kind]="rule.kind">
            <!-- Names are the admin's words and often hold an amount ("First $1,000 day"). -->
            <div class="rule-text">
              <strong>{{ rule.name | unlessPresenting: kindNames[rule.kind] }}</strong>
              <span class="muted">{{ kindNames[rule.kind] }}: {{ condition(rule) }}</span>
            </div>
            <mat-slide-toggle
              [checked]="rule.enabled"
              (change)="setEnabled(rule, $event.checked)"
              [attr.aria-label]="'Rule ' + (rule.name | unlessPresenting: kindNames[rule.kind]) + ' enabled'"
              data-testid="alert-rule-enabled"
            />
            <button mat-button type="button" (click)="deleteRule(rule)" data-testid="alert-rule-delete">Delete</button>
          </li>
        } @empty {
          <li class="empty-state">No alert rules.</li>
        }
      </ul>
    } @else if (!error()) {
      <mt-skeleton [lines]="3" label="alert rules" />
    }
    <form [formGroup]="form" (ngSubmit)="createRule()" class="stacked-form" data-testid="alert-rule-form">
      <h3>New rule</h3>
      <mat-form-field appearance="outline">
        <mat-label>Kind</mat-label>
        <select matNativeControl formControlName="kind" data-testid="alert-rule-kind">
          @for (kind of kinds; track kind) {
            <option [value]="kind">{{ kindNames[kind] }}</option>
          }
        </select>
      </mat-form-field>
      <mat-form-field appearance="outline">
        <mat-label>Name (optional)</mat-label>
        <input matInput formControlName="name" maxlength="200" data-testid="alert-rule-name" />
      </mat-form-field>
      @switch (kind()) {
        @case ('day_revenue') {
          <mat-form-field appearance="outline">
            <mat-label>Revenue in a day (base currency)</mat-label>
            <input
              matInput
              type="number"
              min="0.01"
              step="0.01"
              formControlName="threshold"
              data-testid="alert-rule-threshold"
            />
          </mat-form-field>
        }
        @case ('week_orders') {
          <mat-form-field appearance="outline">
            <mat-label>Orders in a week</mat-label>
            <input
              matInput
              type="number"
              min="1"
              step="1"
              formControlName="threshold"
              data-testid="alert-rule-threshold"
            />
          </mat-form-field>
        }
        @case ('silence') {
          <mat-form-field appearance="outline">
            <mat-label>Hours without an order</mat-label>
            <input
              matInput
              type="number"
              min="1"
              max="168"
              step="1"
              formControlName="hours"
              data-testid="alert-rule-hours"
            />
          </mat-form-field>
          <div class="times">
            <mat-form-field appearance="outline">
              <mat-label>Watched from</mat-label>
              <input matInput type="time" formControlName="activeFrom" data-testid="alert-rule-from" />
            </mat-form-field>
            <mat-form-field appearance="outline">
              <mat-label>until</mat-label>
              <input matInput type="time" formControlName="activeTo" data-testid="alert-rule-to" />
            </mat-form-field>
          </div>
        }
        @case ('daily_digest') {
          <mat-form-field appearance="outline">
            <mat-label>Send at (business time)</mat-label>
            <input matInput type="time" formControlName="sendAt" data-testid="alert-rule-send-at" />
          </mat-form-field>
        }
      }
      <div class="form-actions">
        <button mat-flat-button type="submit" [disabled]="!complete() || busy()" data-testid="alert-rule-create">
          Add rule
        </button>
      </div>
    </form>
  `,
  styles: `
    .rule-list {
      list-style: none;
      margin: 16px 0 0;
      padding: 0;
    }
    .rule-list li {
      display: flex;
      align-items: center;
      gap: 8px 12px;
      padding: 6px 0;
      border-bottom: 1px solid var(--mat-sys-outline-variant);
    }
    .rule-text {
      flex: 1;
      min-width: 0;
      display: flex;
      flex-direction: column;
    }
    h3 {
      margin: 0;
      font-size: 1.1rem;
    }
    .times {
      display: flex;
      gap: 12px;
    }
  `,
})
export class AlertRulesEditor {
  private readonly api = inject(AlertsApi);
  private readonly refresh = inject(RefreshService);
  protected readonly kinds = ALERT_KINDS;
  protected readonly kindNames = ALERT_KIND_NAMES;
  private readonly presenter = inject(PreferencesService).presenterMode;
  readonly rules = signal<AlertRule[] | null>(null);
  readonly error = signal<string | null>(null);
  protected readonly busy = signal(false);
  readonly form = new FormGroup({
    kind: new FormControl<AlertKind>('day_revenue', { nonNullable: true }),
    name: new FormControl('', { nonNullable: true }),
    threshold: new FormControl<number | null>(null),
    hours: new FormControl<number | null>(null),
    activeFrom: new FormControl('08:00', { nonNullable: true }),
    activeTo: new FormControl('22:00', { nonNullable: true }),
    sendAt: new FormControl('07:30', { nonNullable: true }),
  });
  private readonly value = toSignal(this.form.valueChanges, { initialValue: this.form.getRawValue() });
  protected readonly kind = computed(() => this.value().kind ?? 'day_revenue');
  /** Every field the chosen kind needs is filled in (the API checks the rest). */
  protected readonly complete = computed(() => {
    const request = ruleRequest({ ...this.form.getRawValue(), ...this.value() });
    const filled = (value: unknown) => value !== null && value !== undefined && value !== '';
    switch (request.kind) {
      case 'day_revenue':
      case 'week_orders':
        return filled(request.threshold);
      case 'silence':
        return filled(request.hours) && filled(request.activeFrom) && filled(request.activeTo);
      case 'daily_digest':
        return filled(request.sendAt);
      case 'best_day':
        return true;
    }
  });

  constructor() {
    this.load();
  }

  load(): void {
    this.api.rules().subscribe({
      next: (rules) => {
        this.rules.set(rules);
        this.error.set(null);
      },
      error: (failure: unknown) => this.error.set(describeError(failure)),
    });
  }

  createRule(): void {
    this.busy.set(true);
    this.api.createRule(ruleRequest(this.form.getRawValue())).subscribe({
      next: (rule) => {
        this.busy.set(false);
        this.error.set(null);
        this.rules.update((rules) => [...(rules ?? []), rule]);
        this.form.reset({ kind: rule.kind });
      },
      error: (failure: unknown) => {
        this.busy.set(false);
        this.error.set(describeError(failure));
      },
    });
  }

  setEnabled(rule: AlertRule, enabled: boolean): void {
    this.api.replaceRule(rule.id, ruleRequest({ ...rule, enabled })).subscribe({
      next: (saved) => {
        this.error.set(null);
        this.replaceInList(saved);
      },
      error: (failure: unknown) => {
        this.error.set(describeError(failure));
        // A new object re-renders the toggle, which puts it back where the server has it.
        this.replaceInList({ ...rule });
      },
    });
  }

  deleteRule(rule: AlertRule): void {
    this.api.deleteRule(rule.id).subscribe({
      next: () => {
        this.error.set(null);
        this.rules.update((rules) => (rules ?? []).filter((other) => other.id !== rule.id));
        // Its fired alerts went with it.
        this.refresh.request('alerts');
      },
      error: (failure: unknown) => this.error.set(describeError(failure)),
    });
  }

  protected condition(rule: AlertRule): string {
    return this.presenter() ? ruleCondition(rule, () => MASKED_AMOUNT) : ruleCondition(rule);
  }

  private replaceInList(rule: AlertRule): void {
    this.rules.update((rules) => (rules ?? []).map((other) => (other.id === rule.id ? rule : other)));
  }
}
