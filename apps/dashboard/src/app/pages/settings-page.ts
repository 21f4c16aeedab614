import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { SETTLEMENT_CADENCES, SettlementCadence } from '@mt/contracts';
import { RouterLink } from '@angular/router';
import { describeError } from '../core/live-data';
import { PreferencesService } from '../core/preferences.service';
import { RefreshService } from '../core/refresh.service';
import { SpotifyApi } from '../core/spotify-api.service';
import { AlertRulesEditor } from '../widgets/alert-rules-editor';
import { ApiTokensSettings } from '../widgets/api-tokens-settings';
import { CurrenciesCard } from '../widgets/currencies-card';
import { TwoFactorSettings } from '../widgets/two-factor-settings';
import { TitlesSettings } from '../widgets/titles-settings';
import { GoalSettingsForm } from '../widgets/goal-settings';
import { OrderRemoval } from '../widgets/order-removal';
import { ErrorBanner, PresenterNotice, Skeleton } from '../widgets/ui';
import { UsersSettings } from '../widgets/users-settings';
import { PushSettings } from '../widgets/push-settings';
import { AuthService } from '../core/auth.service';

/**
 * Everyone: notifications on this device. Admin: the Spotify pool rate (with where it comes from), the average audiobook length, the monthly goal,
 * the alert rules, the users and the API tokens.
 */
@Component({
  selector: 'mt-settings-page',
  imports: [
    ReactiveFormsModule,
    RouterLink,
    MatButtonModule,
    MatCardModule,
    MatFormFieldModule,
    MatInputModule,
    MatSelectModule,
    ErrorBanner,
    Skeleton,
    AlertRulesEditor,
    GoalSettingsForm,
    PresenterNotice,
    CurrenciesCard,
    TwoFactorSettings,
    OrderRemoval,
    UsersSettings,
    ApiTokensSettings,
    TitlesSettings,
    PushSettings,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <mat-card appearance="outlined" class="settings-card" data-testid="push-card">
      <mat-card-header
        ><mat-card-title><h1>Notifications on this device</h1></mat-card-title></mat-card-header
      >
      <mat-card-content><mt-push-settings /></mat-card-content>
    </mat-card>
    <!-- Everyone turns on their own devices; the rest is the admins'. -->
    @if (isAdmin()) {
      <mat-card appearance="outlined" class="settings-card">
        <mat-card-header
          ><mat-card-title><h2>Spotify settings</h2></mat-card-title></mat-card-header
        >
        <mat-card-content>
          @if (error(); as message) {
            <mt-error-banner [message]="message" (retry)="load()" />
          }
          @if (presenter()) {
            <mt-presenter-notice subject="the pool rate, its source and the average book length" />
          } @else if (loaded()) {
            <form [formGroup]="form" (ngSubmit)="save()" class="stacked-form">
              <mat-form-field appearance="outline">
                <mat-label>Pool rate ($ per minute)</mat-label>
                <input
                  matInput
                  type="number"
                  step="0.00001"
                  min="0.000001"
                  formControlName="poolRate"
                  data-testid="pool-rate"
                />
                <mat-hint>e.g. 0.00841</mat-hint>
              </mat-form-field>
              <mat-form-field appearance="outline">
                <mat-label>Source of the rate</mat-label>
                <input matInput formControlName="poolRateSource" maxlength="200" data-testid="pool-rate-source" />
                <mat-hint>e.g. 2025-Q3 actual</mat-hint>
              </mat-form-field>
              <mat-form-field appearance="outline">
                <mat-label>Average audiobook length (minutes)</mat-label>
                <input
                  matInput
                  type="number"
                  step="1"
                  min="1"
                  formControlName="averageBookMinutes"
                  data-testid="book-minutes"
                />
              </mat-form-field>
              <mat-form-field appearance="outline">
                <mat-label>Paid</mat-label>
                <mat-select formControlName="cadence" data-testid="settlement-cadence">
                  @for (cadence of cadences; track cadence) {
                    <mat-option [value]="cadence">{{ cadenceNames[cadence] }}</mat-option>
                  }
                </mat-select>
                <mat-hint>Groups the payments still due under Spotify money</mat-hint>
              </mat-form-field>
              @if (saved()) {
                <p role="status" data-testid="settings-saved">Saved. Projections are recomputed.</p>
              }
              <div class="form-actions">
                <button mat-flat-button type="submit" [disabled]="form.invalid || busy()">Save</button>
                <a mat-button routerLink="/">Back to the dashboard</a>
              </div>
            </form>
          } @else if (!error()) {
            <mt-skeleton [lines]="3" label="settings" />
          }
        </mat-card-content>
      </mat-card>
      <mat-card appearance="outlined" class="settings-card">
        <mat-card-header
          ><mat-card-title><h2>Monthly revenue goal</h2></mat-card-title></mat-card-header
        >
        <mat-card-content><mt-goal-settings /></mat-card-content>
      </mat-card>
      <mat-card appearance="outlined" class="settings-card">
        <mat-card-header
          ><mat-card-title><h2>Alert rules</h2></mat-card-title></mat-card-header
        >
        <mat-card-content><mt-alert-rules-editor /></mat-card-content>
      </mat-card>
      <mat-card appearance="outlined" class="settings-card" id="currencies">
        <mat-card-header
          ><mat-card-title><h2>Currencies</h2></mat-card-title></mat-card-header
        >
        <mat-card-content>
          @if (presenter()) {
            <mt-presenter-notice subject="the exchange rates and the orders waiting for one" />
          } @else {
            <mt-currencies-card />
          }
        </mat-card-content>
      </mat-card>
      <mt-titles-settings id="titles" />

      <mat-card appearance="outlined" class="settings-card">
        <mat-card-header
          ><mat-card-title><h2>Two-factor sign-in</h2></mat-card-title></mat-card-header
        >
        <mat-card-content><mt-two-factor-settings /></mat-card-content>
      </mat-card>
      <mt-order-removal />
      <mat-card appearance="outlined" class="settings-card" data-testid="users-card">
        <mat-card-header
          ><mat-card-title><h2>Users</h2></mat-card-title></mat-card-header
        >
        <mat-card-content><mt-users-settings /></mat-card-content>
      </mat-card>
      <mat-card appearance="outlined" class="settings-card" data-testid="tokens-card">
        <mat-card-header
          ><mat-card-title><h2>API tokens</h2></mat-card-title></mat-card-header
        >
        <mat-card-content><mt-api-tokens-settings /></mat-card-content>
      </mat-card>
    }
  `,
  styles: `
    :host {
      display: flex;
      flex-direction: column;
      align-items: center;
      gap: 16px;
    }
    .settings-card {
      width: min(100%, 560px);
    }
    h1,
    h2 {
      margin: 0;
      font-size: 1.4rem;
    }
  `,
})
export class SettingsPage {
  private readonly api = inject(SpotifyApi);
  private readonly refresh = inject(RefreshService);
  protected readonly form = new FormGroup({
    poolRate: new FormControl<number | null>(null, [Validators.required, Validators.min(0.000001), Validators.max(1)]),
    poolRateSource: new FormControl('', {
      nonNullable: true,
      validators: [Validators.required, Validators.maxLength(200)],
    }),
    averageBookMinutes: new FormControl<number | null>(null, [Validators.required, Validators.min(1)]),
    cadence: new FormControl<SettlementCadence>('monthly', { nonNullable: true }),
  });
  protected readonly cadences = SETTLEMENT_CADENCES;
  protected readonly cadenceNames: Record<SettlementCadence, string> = {
    monthly: 'Monthly, one payment per month',
    quarterly: 'Quarterly, one payment per quarter',
  };
  protected readonly loaded = signal(false);
  protected readonly busy = signal(false);
  protected readonly saved = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly presenter = inject(PreferencesService).presenterMode;
  protected readonly isAdmin = inject(AuthService).isAdmin;

  constructor() {
    if (this.isAdmin()) this.load();
  }

  load(): void {
    this.error.set(null);
    this.api.settings().subscribe({
      next: (settings) => {
        this.form.setValue({
          poolRate: settings.poolRate,
          poolRateSource: settings.poolRateSource,
          averageBookMinutes: settings.averageBookMinutes,
          cadence: settings.cadence,
        });
        this.loaded.set(true);
      },
      error: (failure: unknown) => this.error.set(describeError(failure)),
    });
  }

  protected save(): void {
    const { poolRate, poolRateSource, averageBookMinutes, cadence } = this.form.getRawValue();
    if (poolRate === null || averageBookMinutes === null) return;
    this.busy.set(true);
    this.saved.set(false);
    this.api.saveSettings({ poolRate, poolRateSource, averageBookMinutes, cadence }).subscribe({
      next: () => {
        this.busy.set(false);
        this.saved.set(true);
        this.error.set(null);
        this.refresh.request('spotify');
      },
      error: (failure: unknown) => {
        this.busy.set(false);
        this.error.set(describeError(failure));
      },
    });
  }
}
