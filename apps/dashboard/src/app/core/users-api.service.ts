import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type {
  ApiTokensResponse,
  CreatedApiToken,
  InviteUserRequest,
  Role,
  UserSummary,
  UsersResponse,
} from '@mt/contracts';
import { Observable } from 'rxjs';

/** Admin: the people who can sign in, and the API tokens scripts use. */
@Injectable({ providedIn: 'root' })
export class UsersApi {
  private readonly http = inject(HttpClient);

  users(): Observable<UsersResponse> {
    return this.http.get<UsersResponse>('/api/users');
  }

  invite(request: InviteUserRequest): Observable<UserSummary> {
    return this.http.post<UserSummary>('/api/users', request);
  }

  changeRole(id: string, role: Role): Observable<UserSummary> {
    return this.http.patch<UserSummary>(`/api/users/${encodeURIComponent(id)}`, { role });
  }

  remove(id: string): Observable<void> {
    return this.http.delete<void>(`/api/users/${encodeURIComponent(id)}`);
  }

  tokens(): Observable<ApiTokensResponse> {
    return this.http.get<ApiTokensResponse>('/api/auth/tokens');
  }

  createToken(name: string): Observable<CreatedApiToken> {
    return this.http.post<CreatedApiToken>('/api/auth/tokens', { name });
  }

  revokeToken(id: string): Observable<void> {
    return this.http.delete<void>(`/api/auth/tokens/${encodeURIComponent(id)}`);
  }
}
