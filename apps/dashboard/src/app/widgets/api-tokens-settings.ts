import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import type { ApiTokenSummary, CreatedApiToken } from '@mt/contracts';
import { map } from 'rxjs';
import { timeAgo } from '../core/format';
import { SettingsList } from '../core/settings-list';
import { UsersApi } from '../core/users-api.service';
import { Skeleton } from './ui';

/** Admin: API tokens for scripts and Swagger (create with a name, see when each was last used, revoke). */
@Component({
  selector: 'mt-api-tokens-settings',
  imports: [ReactiveFormsModule, MatButtonModule, MatFormFieldModule, MatInputModule, Skeleton],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (error(); as message) {
      <p class="error-banner" role="alert" data-testid="tokens-error">{{ message }}</p>
    }
    @if (created(); as fresh) {
      <div class="secret" role="status" data-testid="token-secret-box">
        <p>
          <strong>{{ fresh.token.name }}</strong>: copy the token now, it is not shown again. Send it as
          <code>Authorization: Bearer …</code> (in Swagger: Authorize).
        </p>
        <code class="secret-value" data-testid="token-secret">{{ fresh.secret }}</code>
        <div class="form-actions">
          <button mat-stroked-button type="button" (click)="copy(fresh.secret)" data-testid="token-copy">
            {{ copied() ? 'Copied' : 'Copy' }}
          </button>
          <button mat-button type="button" (click)="created.set(null)">Done</button>
        </div>
      </div>
    }
    @if (tokens(); as list) {
      @if (list.length) {
        <ul class="tokens" data-testid="tokens-list">
          @for (token of list; track token.id) {
            <li class="token" [class.revoked]="token.revokedAt" [attr.data-name]="token.name" data-testid="token-row">
              <span class="what">
                <strong>{{ token.name }}</strong>
                <span class="muted">as {{ token.userEmail }} · created {{ ago(token.createdAt) }}</span>
                <span class="muted" data-testid="token-last-used">{{ lastUse(token) }}</span>
              </span>
              @if (token.revokedAt) {
                <span class="chip chip-error" data-testid="token-status">Revoked</span>
              } @else {
                <button
                  mat-button
                  type="button"
                  (click)="revoke(token)"
                  [disabled]="busy()"
                  [attr.aria-label]="'Revoke ' + token.name"
                  data-testid="token-revoke"
                >
                  Revoke
                </button>
              }
            </li>
          }
        </ul>
      } @else {
        <p class="empty-state">No API tokens yet.</p>
      }
    } @else if (!error()) {
      <mt-skeleton [lines]="2" label="API tokens" />
    }
    <form [formGroup]="form" (ngSubmit)="create()" class="stacked-form" data-testid="token-form">
      <mat-form-field appearance="outline">
        <mat-label>Name of the new token</mat-label>
        <input matInput formControlName="name" maxlength="100" autocomplete="off" data-testid="token-name" />
        <mat-hint>Say what uses it: "Monthly report script"</mat-hint>
      </mat-form-field>
      <div class="form-actions">
        <button mat-flat-button type="submit" [disabled]="form.invalid || busy()">Create token</button>
      </div>
    </form>
  `,
  styles: `
    .tokens {
      list-style: none;
      margin: 0;
      padding: 0;
    }
    .token {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      justify-content: space-between;
      gap: 8px 12px;
      padding: 10px 0;
      border-bottom: 1px solid var(--mat-sys-outline-variant);
    }
    .token.revoked .what {
      opacity: 0.75;
    }
    .what {
      display: flex;
      flex-direction: column;
      min-width: 0;
      overflow-wrap: anywhere;
    }
    .secret {
      padding: 12px;
      margin-bottom: 12px;
      border-radius: 8px;
      background: var(--mat-sys-primary-container);
      color: var(--mat-sys-on-primary-container);
    }
    .secret p {
      margin: 0 0 8px;
    }
    .secret-value {
      display: block;
      padding: 8px;
      margin-bottom: 8px;
      border-radius: 6px;
      background: var(--mat-sys-surface-container-lowest);
      color: var(--mat-sys-on-surface);
      overflow-wrap: anywhere;
      user-select: all;
    }
  `,
})
export class ApiTokensSettings {
  private readonly api = inject(UsersApi);
  protected readonly list = new SettingsList(() => this.api.tokens().pipe(map((answer) => answer.tokens)));
  protected readonly tokens = this.list.items;
  protected readonly created = signal<CreatedApiToken | null>(null);
  protected readonly copied = signal(false);
  protected readonly error = this.list.error;
  protected readonly busy = this.list.busy;
  protected readonly form = new FormGroup({
    name: new FormControl('', {
      nonNullable: true,
      validators: [Validators.required, Validators.maxLength(100), Validators.pattern(/\S/)],
    }),
  });
  protected readonly ago = (iso: string) => timeAgo(iso);

  protected lastUse(token: ApiTokenSummary): string {
    return token.lastUsedAt ? `last used ${timeAgo(token.lastUsedAt)}` : 'never used';
  }

  protected create(): void {
    if (this.form.invalid) return;
    this.copied.set(false);
    this.list.change(this.api.createToken(this.form.getRawValue().name.trim()), (fresh) => {
      this.created.set(fresh);
      this.form.reset({ name: '' });
    });
  }

  protected revoke(token: ApiTokenSummary): void {
    if (!globalThis.confirm?.(`Revoke "${token.name}"? Scripts that use it stop working at once.`)) return;
    this.list.change(this.api.revokeToken(token.id));
  }

  protected copy(secret: string): void {
    void globalThis.navigator?.clipboard?.writeText(secret).then(() => this.copied.set(true));
  }
}
