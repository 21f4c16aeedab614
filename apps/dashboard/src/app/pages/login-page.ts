import { HttpErrorResponse } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { ActivatedRoute, Router } from '@angular/router';
import type { SecondStep, SignInOptions, SsoError, TwoFactorSetup } from '@mt/contracts';
import { AuthService } from '../core/auth.service';
import { apiMessage } from '../core/live-data';
import { RecoveryCodesList, TwoFactorEnrolment, totpDigits } from '../widgets/two-factor-enrolment';

/** Why a login failed, in words for the person at the keyboard. */
export function loginFailure(failure: unknown): string {
  if (failure instanceof HttpErrorResponse) {
    if (failure.status === 401) return 'Wrong e-mail or password.';
    if (failure.status === 429) return 'Too many attempts. Wait a minute and try again.';
    if (failure.status === 0) return 'The server is unreachable.';
    return apiMessage(failure.error) ?? `Login failed (${failure.status}).`;
  }
  return 'Login failed.';
}

/** Why the second step failed; `expired` sends the person back to the password. */
export function secondStepFailure(failure: unknown): { message: string; expired: boolean } {
  if (failure instanceof HttpErrorResponse) {
    const message = apiMessage(failure.error) ?? '';
    if (failure.status === 401 && message.startsWith('the sign-in has expired'))
      return { message: 'The sign-in has expired. Enter your password again.', expired: true };
    if (failure.status === 401 || failure.status === 400)
      return { message: 'That code is not right. Check the time on your phone and try again.', expired: false };
  }
  return { message: loginFailure(failure), expired: false };
}

/** What `/login?ssoError=…` (the single sign-on callback) means. */
export const SSO_ERRORS: Record<SsoError, string> = {
  state: 'That sign-in link has expired or was used already. Start again.',
  provider: 'The identity provider did not complete the sign-in. Try again.',
  token: 'The answer of the identity provider could not be verified. Try again.',
  'no-email': 'The identity provider sent no e-mail address.',
  'unverified-email': 'The identity provider has not verified your e-mail address.',
  'no-account': 'There is no account with your e-mail address. Ask an admin to invite you.',
};

type Step = 'password' | SecondStep | 'recovery-codes';

@Component({
  selector: 'mt-login-page',
  imports: [
    ReactiveFormsModule,
    MatCardModule,
    MatFormFieldModule,
    MatInputModule,
    MatButtonModule,
    TwoFactorEnrolment,
    RecoveryCodesList,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <mat-card appearance="outlined" class="login-card">
      <mat-card-header
        ><mat-card-title><h1>Sign in</h1></mat-card-title></mat-card-header
      >
      <mat-card-content>
        @if (error(); as message) {
          <p class="error-banner" role="alert" data-testid="login-error">{{ message }}</p>
        }
        @switch (step()) {
          @case ('password') {
            <form [formGroup]="form" (ngSubmit)="signIn()" class="login-form">
              <mat-form-field appearance="outline">
                <mat-label>E-mail</mat-label>
                <input matInput type="email" formControlName="email" autocomplete="username" required />
              </mat-form-field>
              <mat-form-field appearance="outline">
                <mat-label>Password</mat-label>
                <input matInput type="password" formControlName="password" autocomplete="current-password" required />
              </mat-form-field>
              <button mat-flat-button type="submit" [disabled]="busy()">
                {{ busy() ? 'Signing in…' : 'Sign in' }}
              </button>
              @if (options()?.oidc; as oidc) {
                <a mat-stroked-button [href]="oidc.loginUrl" data-testid="sso-button">Sign in with {{ oidc.name }}</a>
              }
            </form>
          }
          @case ('code') {
            <form [formGroup]="secondFactor" (ngSubmit)="submitCode()" class="login-form">
              <mat-form-field appearance="outline">
                <mat-label>{{ useRecoveryCode() ? 'Recovery code' : 'Code from the authenticator app' }}</mat-label>
                <input
                  matInput
                  formControlName="code"
                  [attr.inputmode]="useRecoveryCode() ? null : 'numeric'"
                  autocomplete="one-time-code"
                  data-testid="second-factor"
                />
              </mat-form-field>
              <button mat-flat-button type="submit" [disabled]="busy() || secondFactor.invalid">Continue</button>
              <button mat-button type="button" (click)="toggleRecoveryCode()">
                {{ useRecoveryCode() ? 'Use the authenticator app' : 'Use a recovery code' }}
              </button>
            </form>
          }
          @case ('enrol') {
            <p>An admin requires two-factor sign-in. Set it up to continue.</p>
            @if (setup(); as value) {
              <mt-two-factor-enrolment [setup]="value" [busy]="busy()" (confirmCode)="confirmEnrolment($event)" />
            }
          }
          @case ('recovery-codes') {
            <mt-recovery-codes [codes]="recoveryCodes()" (done)="goOn()" />
          }
        }
      </mat-card-content>
    </mat-card>
  `,
  styles: `
    :host {
      display: flex;
      justify-content: center;
      padding-top: 8vh;
    }
    .login-card {
      width: min(100%, 400px);
    }
    h1 {
      margin: 0;
      font-size: 1.5rem;
    }
    .login-form {
      display: flex;
      flex-direction: column;
      gap: 8px;
      margin-top: 16px;
    }
  `,
})
export class LoginPage {
  private readonly auth = inject(AuthService);
  private readonly router = inject(Router);
  private readonly route = inject(ActivatedRoute);
  protected readonly form = new FormGroup({
    email: new FormControl('', { nonNullable: true, validators: [Validators.required, Validators.email] }),
    password: new FormControl('', { nonNullable: true, validators: [Validators.required] }),
  });
  protected readonly secondFactor = new FormGroup({
    code: new FormControl('', { nonNullable: true, validators: [Validators.required] }),
  });
  protected readonly step = signal<Step>('password');
  protected readonly useRecoveryCode = signal(false);
  protected readonly setup = signal<TwoFactorSetup | null>(null);
  protected readonly recoveryCodes = signal<readonly string[]>([]);
  protected readonly options = signal<SignInOptions | null>(null);
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);

  constructor() {
    const query = this.route.snapshot.queryParamMap;
    const ssoError = query.get('ssoError') as SsoError | null;
    if (ssoError) this.error.set(SSO_ERRORS[ssoError] ?? 'The single sign-on failed.');
    const twoFactor = query.get('twoFactor');
    if (twoFactor === 'code' || twoFactor === 'enrol') this.enterStep(twoFactor);
    this.auth.signInOptions().subscribe({ next: (options) => this.options.set(options), error: () => undefined });
  }

  protected signIn(): void {
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    const { email, password } = this.form.getRawValue();
    this.start();
    this.auth.login(email, password).subscribe({
      next: (outcome) => {
        this.busy.set(false);
        if ('twoFactorRequired' in outcome) this.enterStep(outcome.step);
        else this.goOn();
      },
      error: (failure: unknown) => this.fail(loginFailure(failure)),
    });
  }

  protected submitCode(): void {
    const typed = this.secondFactor.getRawValue().code.trim();
    this.start();
    this.auth
      .completeSignIn(this.useRecoveryCode() ? { recoveryCode: typed } : { code: totpDigits(typed) })
      .subscribe({ next: () => this.goOn(), error: (failure: unknown) => this.failSecondStep(failure) });
  }

  protected confirmEnrolment(code: string): void {
    this.start();
    this.auth.confirmTwoFactorForSignIn(code).subscribe({
      next: (body) => {
        this.busy.set(false);
        this.recoveryCodes.set(body.recoveryCodes);
        this.step.set('recovery-codes');
      },
      error: (failure: unknown) => this.failSecondStep(failure),
    });
  }

  protected toggleRecoveryCode(): void {
    this.useRecoveryCode.update((use) => !use);
    this.secondFactor.reset();
  }

  protected goOn(): void {
    this.busy.set(false);
    const returnTo = this.route.snapshot.queryParamMap.get('returnTo');
    // Only paths inside the app: never an absolute URL handed in through the query string.
    void this.router.navigateByUrl(returnTo?.startsWith('/') && !returnTo.startsWith('//') ? returnTo : '/');
  }

  private enterStep(step: SecondStep): void {
    this.step.set(step);
    if (step !== 'enrol') return;
    this.auth.setUpTwoFactorForSignIn().subscribe({
      next: (setup) => this.setup.set(setup),
      error: (failure: unknown) => this.failSecondStep(failure),
    });
  }

  private start(): void {
    this.busy.set(true);
    this.error.set(null);
  }

  private fail(message: string): void {
    this.busy.set(false);
    this.error.set(message);
  }

  private failSecondStep(failure: unknown): void {
    const { message, expired } = secondStepFailure(failure);
    this.fail(message);
    if (expired) this.step.set('password');
  }
}
