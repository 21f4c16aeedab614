import { HttpErrorResponse } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { ActivatedRoute, Router } from '@angular/router';
import { AuthService } from '../core/auth.service';
import { apiMessage } from '../core/live-data';

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

@Component({
  selector: 'mt-login-page',
  imports: [ReactiveFormsModule, MatCardModule, MatFormFieldModule, MatInputModule, MatButtonModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <mat-card appearance="outlined" class="login-card">
      <mat-card-header
        ><mat-card-title><h1>Sign in</h1></mat-card-title></mat-card-header
      >
      <mat-card-content>
        <form [formGroup]="form" (ngSubmit)="signIn()" class="login-form">
          <mat-form-field appearance="outline">
            <mat-label>E-mail</mat-label>
            <input matInput type="email" formControlName="email" autocomplete="username" required />
          </mat-form-field>
          <mat-form-field appearance="outline">
            <mat-label>Password</mat-label>
            <input matInput type="password" formControlName="password" autocomplete="current-password" required />
          </mat-form-field>
          @if (error(); as message) {
            <p class="error-banner" role="alert" data-testid="login-error">{{ message }}</p>
          }
          <button mat-flat-button type="submit" [disabled]="busy()">{{ busy() ? 'Signing in…' : 'Sign in' }}</button>
        </form>
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
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);

  protected signIn(): void {
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    const { email, password } = this.form.getRawValue();
    this.busy.set(true);
    this.error.set(null);
    this.auth.login(email, password).subscribe({
      next: () => {
        this.busy.set(false);
        const returnTo = this.route.snapshot.queryParamMap.get('returnTo');
        // Only paths inside the app: never an absolute URL handed in through the query string.
        void this.router.navigateByUrl(returnTo?.startsWith('/') && !returnTo.startsWith('//') ? returnTo : '/');
      },
      error: (failure: unknown) => {
        this.busy.set(false);
        this.error.set(loginFailure(failure));
      },
    });
  }
}
