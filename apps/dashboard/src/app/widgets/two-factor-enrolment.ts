import { ChangeDetectionStrategy, Component, input, output } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import type { TwoFactorSetup } from '@mt/contracts';

/** What people type: spaces and dashes between the digits are fine. */
export function totpDigits(typed: string): string {
  return typed.replace(/[\s-]/g, '');
}

/**
 * Setting up an authenticator: the QR code (and the secret to type in by hand), then the first code,
 * which `confirmCode` hands on. Used at a sign-in an admin requires it for, and in the settings.
 */
@Component({
  selector: 'mt-two-factor-enrolment',
  imports: [ReactiveFormsModule, MatButtonModule, MatFormFieldModule, MatInputModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <p>Scan this with an authenticator app (for example Aegis, Google Authenticator or 1Password):</p>
    <img class="qr" [src]="setup().qrCode" alt="QR code for the authenticator app" width="200" height="200" />
    <p class="secret">
      Or type in this key: <code data-testid="totp-secret">{{ setup().secret }}</code>
    </p>
    <form [formGroup]="form" (ngSubmit)="submit()" class="code-form">
      <mat-form-field appearance="outline">
        <mat-label>Code from the app</mat-label>
        <input
          matInput
          formControlName="code"
          inputmode="numeric"
          autocomplete="one-time-code"
          maxlength="9"
          data-testid="enrol-code"
        />
      </mat-form-field>
      <button mat-flat-button type="submit" [disabled]="busy()">Turn on two-factor sign-in</button>
    </form>
  `,
  styles: `
    .qr {
      display: block;
      image-rendering: pixelated;
    }
    .secret code {
      word-break: break-all;
    }
    .code-form {
      display: flex;
      flex-direction: column;
      gap: 8px;
    }
  `,
})
export class TwoFactorEnrolment {
  readonly setup = input.required<TwoFactorSetup>();
  readonly busy = input(false);
  readonly confirmCode = output<string>();
  protected readonly form = new FormGroup({
    code: new FormControl('', {
      nonNullable: true,
      validators: [Validators.required, Validators.pattern(/^\d{3}[\s-]?\d{3}$/)],
    }),
  });

  protected submit(): void {
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    this.confirmCode.emit(totpDigits(this.form.getRawValue().code));
  }
}

/** The ten recovery codes, shown once: the server keeps only their hashes. */
@Component({
  selector: 'mt-recovery-codes',
  imports: [MatButtonModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <p role="status">
      Two-factor sign-in is on. Keep these recovery codes somewhere safe: each signs you in once if the phone is lost.
      They are shown only now.
    </p>
    <ol class="codes" data-testid="recovery-codes">
      @for (code of codes(); track code) {
        <li>
          <code>{{ code }}</code>
        </li>
      }
    </ol>
    <button mat-flat-button type="button" (click)="done.emit()">I have saved them</button>
  `,
  styles: `
    .codes {
      columns: 2;
      font-size: 1.05rem;
    }
  `,
})
export class RecoveryCodesList {
  readonly codes = input.required<readonly string[]>();
  readonly done = output<void>();
}
