import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import type { TwoFactorSetup, TwoFactorStatus } from '@mt/contracts';
import type { Observable } from 'rxjs';
import { AuthService } from '../core/auth.service';
import { describeError } from '../core/live-data';
import { TwoFactorApi } from '../core/two-factor-api.service';
import { RecoveryCodesList, TwoFactorEnrolment, totpDigits } from './two-factor-enrolment';

/**
 * Settings → two-factor sign-in: set it up (QR code, first code, recovery codes shown once), see how
 * many recovery codes are left, turn it off with a code or the password; admins also require it of
 * everyone.
 */
@Component({
  selector: 'mt-two-factor-settings',
  imports: [
    ReactiveFormsModule,
    MatButtonModule,
    MatCheckboxModule,
    MatFormFieldModule,
    MatInputModule,
    TwoFactorEnrolment,
    RecoveryCodesList,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (error(); as message) {
      <p class="error-banner" role="alert" data-testid="two-factor-error">{{ message }}</p>
    }
    @if (recoveryCodes(); as codes) {
      <mt-recovery-codes [codes]="codes" (done)="finishEnrolment()" />
    } @else if (setup(); as value) {
      <mt-two-factor-enrolment [setup]="value" [busy]="busy()" (confirmCode)="confirm($event)" />
    } @else if (status(); as current) {
      @if (current.enabled) {
        <p data-testid="two-factor-state">
          Two-factor sign-in is on; {{ current.recoveryCodesLeft }} of 10 recovery codes are left.
        </p>
        @if (current.required) {
          <p>An admin requires it for everyone, so it cannot be turned off.</p>
        } @else {
          <form [formGroup]="disableForm" (ngSubmit)="disable()" class="stack">
            <mat-form-field appearance="outline">
              <mat-label>Code from the app, or your password</mat-label>
              <input matInput type="password" formControlName="proof" autocomplete="off" data-testid="disable-proof" />
            </mat-form-field>
            <div>
              <button mat-stroked-button type="submit" [disabled]="busy() || disableForm.invalid">Turn off</button>
            </div>
          </form>
        }
      } @else {
        <p data-testid="two-factor-state">
          Two-factor sign-in is off: a password alone signs you in.
          @if (current.required) {
            An admin requires it: you will set it up at your next sign-in.
          }
        </p>
        <div><button mat-flat-button type="button" (click)="startSetup()" [disabled]="busy()">Set up</button></div>
      }
    }
    @if (auth.isAdmin() && requireForEveryone() !== null) {
      <mat-checkbox
        [checked]="requireForEveryone()"
        (change)="saveRequirement($event.checked)"
        [disabled]="busy()"
        data-testid="require-two-factor"
      >
        Require two-factor sign-in for everyone (who has none sets it up at the next sign-in)
      </mat-checkbox>
    }
  `,
  styles: `
    :host {
      display: flex;
      flex-direction: column;
      gap: 12px;
    }
    .stack {
      display: flex;
      flex-direction: column;
    }
  `,
})
export class TwoFactorSettings {
  protected readonly auth = inject(AuthService);
  private readonly api = inject(TwoFactorApi);
  protected readonly status = signal<TwoFactorStatus | null>(null);
  protected readonly setup = signal<TwoFactorSetup | null>(null);
  protected readonly recoveryCodes = signal<readonly string[] | null>(null);
  protected readonly requireForEveryone = signal<boolean | null>(null);
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly disableForm = new FormGroup({
    proof: new FormControl('', { nonNullable: true, validators: [Validators.required] }),
  });

  constructor() {
    this.refreshStatus();
    if (this.auth.isAdmin())
      this.api.policy().subscribe({
        next: (policy) => this.requireForEveryone.set(policy.requireTwoFactor),
        error: (failure: unknown) => this.error.set(describeError(failure)),
      });
  }

  protected startSetup(): void {
    this.run(this.api.setup(), (setup) => this.setup.set(setup));
  }

  protected confirm(code: string): void {
    this.run(this.api.confirm(code), (codes) => {
      this.setup.set(null);
      this.recoveryCodes.set(codes);
    });
  }

  protected finishEnrolment(): void {
    this.recoveryCodes.set(null);
    this.refreshStatus();
  }

  /** Six digits are a code; anything else is the password. */
  protected disable(): void {
    const typed = this.disableForm.getRawValue().proof;
    const digits = totpDigits(typed);
    this.run(this.api.disable(/^\d{6}$/.test(digits) ? { code: digits } : { password: typed }), () => {
      this.disableForm.reset();
      this.refreshStatus();
    });
  }

  protected saveRequirement(required: boolean): void {
    this.run(this.api.savePolicy({ requireTwoFactor: required }), (policy) => {
      this.requireForEveryone.set(policy.requireTwoFactor);
      this.refreshStatus();
    });
  }

  private refreshStatus(): void {
    this.api.status().subscribe({
      next: (status) => this.status.set(status),
      error: (failure: unknown) => this.error.set(describeError(failure)),
    });
  }

  private run<T>(request: Observable<T>, done: (value: T) => void): void {
    this.busy.set(true);
    this.error.set(null);
    request.subscribe({
      next: (value) => {
        this.busy.set(false);
        done(value);
      },
      error: (failure: unknown) => {
        this.busy.set(false);
        this.error.set(describeError(failure));
      },
    });
  }
}
