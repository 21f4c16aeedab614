import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type {
  DisableTwoFactorRequest,
  RecoveryCodes,
  TwoFactorPolicy,
  TwoFactorSetup,
  TwoFactorStatus,
} from '@mt/contracts';
import { Observable, map } from 'rxjs';

/** The signed-in user's two-factor sign-in, and (admins) whether everyone must have it. */
@Injectable({ providedIn: 'root' })
export class TwoFactorApi {
  private readonly http = inject(HttpClient);

  status(): Observable<TwoFactorStatus> {
    return this.http.get<TwoFactorStatus>('/api/auth/2fa');
  }

  setup(): Observable<TwoFactorSetup> {
    return this.http.post<TwoFactorSetup>('/api/auth/2fa/setup', {});
  }

  confirm(code: string): Observable<readonly string[]> {
    return this.http.post<RecoveryCodes>('/api/auth/2fa/confirm', { code }).pipe(map((body) => body.recoveryCodes));
  }

  disable(proof: DisableTwoFactorRequest): Observable<void> {
    return this.http.post<void>('/api/auth/2fa/disable', proof);
  }

  policy(): Observable<TwoFactorPolicy> {
    return this.http.get<TwoFactorPolicy>('/api/auth/2fa/policy');
  }

  savePolicy(policy: TwoFactorPolicy): Observable<TwoFactorPolicy> {
    return this.http.put<TwoFactorPolicy>('/api/auth/2fa/policy', policy);
  }
}
