import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { ROLES, type Role, type UserSummary } from '@mt/contracts';
import { map } from 'rxjs';
import { AuthService } from '../core/auth.service';
import { SettingsList } from '../core/settings-list';
import { UsersApi } from '../core/users-api.service';
import { Skeleton } from './ui';

export const ROLE_NAMES: Record<Role, string> = { admin: 'Admin', viewer: 'Viewer (read-only)' };

/** Admin: who can sign in (invite with a first password, change the role, remove). */
@Component({
  selector: 'mt-users-settings',
  imports: [ReactiveFormsModule, MatButtonModule, MatFormFieldModule, MatInputModule, MatSelectModule, Skeleton],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (error(); as message) {
      <p class="error-banner" role="alert" data-testid="users-error">{{ message }}</p>
    }
    @if (users(); as list) {
      <ul class="people" data-testid="users-list">
        @for (user of list; track user.id) {
          <li class="person" [attr.data-email]="user.email" data-testid="user-row">
            <span class="who">
              <strong>{{ user.name || user.email }}</strong>
              @if (user.name) {
                <span class="muted">{{ user.email }}</span>
              }
            </span>
            <mat-form-field appearance="outline" subscriptSizing="dynamic" class="role-field">
              <mat-label>Role</mat-label>
              <mat-select
                [value]="user.role"
                (selectionChange)="changeRole(user, $event.value)"
                [disabled]="busy() || user.id === me()"
                data-testid="user-role"
              >
                @for (role of roles; track role) {
                  <mat-option [value]="role">{{ roleNames[role] }}</mat-option>
                }
              </mat-select>
            </mat-form-field>
            @if (user.id === me()) {
              <span class="muted you">you</span>
            } @else {
              <button
                mat-button
                type="button"
                (click)="remove(user)"
                [disabled]="busy()"
                [attr.aria-label]="'Remove ' + user.email"
                data-testid="user-remove"
              >
                Remove
              </button>
            }
          </li>
        }
      </ul>
    } @else if (!error()) {
      <mt-skeleton [lines]="3" label="users" />
    }
    <form [formGroup]="form" (ngSubmit)="invite()" class="stacked-form" data-testid="invite-form">
      <h3 class="form-title">Invite someone</h3>
      <mat-form-field appearance="outline">
        <mat-label>E-mail</mat-label>
        <input matInput type="email" formControlName="email" autocomplete="off" data-testid="invite-email" />
      </mat-form-field>
      <mat-form-field appearance="outline">
        <mat-label>Name (optional)</mat-label>
        <input matInput formControlName="name" autocomplete="off" maxlength="100" data-testid="invite-name" />
      </mat-form-field>
      <mat-form-field appearance="outline">
        <mat-label>Role</mat-label>
        <mat-select formControlName="role" data-testid="invite-role">
          @for (role of roles; track role) {
            <mat-option [value]="role">{{ roleNames[role] }}</mat-option>
          }
        </mat-select>
      </mat-form-field>
      <mat-form-field appearance="outline">
        <mat-label>First password (8 to 72 characters)</mat-label>
        <input
          matInput
          type="password"
          formControlName="password"
          autocomplete="new-password"
          data-testid="invite-password"
        />
        <mat-hint>Hand it over yourself; they sign in with it.</mat-hint>
      </mat-form-field>
      @if (invited(); as email) {
        <p role="status" data-testid="invite-done">{{ email }} can sign in now.</p>
      }
      <div class="form-actions">
        <button mat-flat-button type="submit" [disabled]="form.invalid || busy()">Invite</button>
      </div>
    </form>
  `,
  styles: `
    .people {
      list-style: none;
      margin: 0;
      padding: 0;
    }
    .person {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 8px 12px;
      padding: 10px 0;
      border-bottom: 1px solid var(--mat-sys-outline-variant);
    }
    .who {
      display: flex;
      flex-direction: column;
      flex: 1 1 180px;
      min-width: 0;
      overflow-wrap: anywhere;
    }
    .role-field {
      width: 190px;
    }
    .form-title {
      margin: 8px 0 0;
      font-size: 1rem;
    }
  `,
})
export class UsersSettings {
  private readonly api = inject(UsersApi);
  private readonly auth = inject(AuthService);
  protected readonly me = computed(() => this.auth.user()?.id);
  protected readonly roles = ROLES;
  protected readonly roleNames = ROLE_NAMES;
  protected readonly list = new SettingsList(() => this.api.users().pipe(map((answer) => answer.users)));
  protected readonly users = this.list.items;
  protected readonly error = this.list.error;
  protected readonly busy = this.list.busy;
  protected readonly invited = signal<string | null>(null);
  protected readonly form = new FormGroup({
    email: new FormControl('', { nonNullable: true, validators: [Validators.required, Validators.email] }),
    name: new FormControl('', { nonNullable: true }),
    role: new FormControl<Role>('viewer', { nonNullable: true }),
    password: new FormControl('', {
      nonNullable: true,
      validators: [Validators.required, Validators.minLength(8), Validators.maxLength(72)],
    }),
  });

  protected invite(): void {
    const { email, name, role, password } = this.form.getRawValue();
    this.invited.set(null);
    this.list.change(this.api.invite({ email, role, password, ...(name.trim() ? { name: name.trim() } : {}) }), () => {
      this.invited.set(email);
      this.form.reset({ email: '', name: '', role: 'viewer', password: '' });
    });
  }

  protected changeRole(user: UserSummary, role: Role): void {
    this.invited.set(null);
    this.list.change(this.api.changeRole(user.id, role));
  }

  protected remove(user: UserSummary): void {
    if (!globalThis.confirm?.(`Remove ${user.email}? Their sessions end and their API tokens stop working.`)) return;
    this.invited.set(null);
    this.list.change(this.api.remove(user.id));
  }
}
