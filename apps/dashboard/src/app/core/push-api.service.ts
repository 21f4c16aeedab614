import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type {
  PushPreferencesRequest,
  PushPublicKeyResponse,
  PushSubscribeRequest,
  PushSubscriptionResponse,
  PushSubscriptionsResponse,
} from '@mt/contracts';
import { Observable } from 'rxjs';

/** The signed-in user's devices that ring for new orders and alerts (Web Push). */
@Injectable({ providedIn: 'root' })
export class PushApi {
  private readonly http = inject(HttpClient);

  publicKey(): Observable<PushPublicKeyResponse> {
    return this.http.get<PushPublicKeyResponse>('/api/push/public-key');
  }

  subscriptions(): Observable<PushSubscriptionsResponse> {
    return this.http.get<PushSubscriptionsResponse>('/api/push/subscriptions');
  }

  subscribe(request: PushSubscribeRequest): Observable<PushSubscriptionResponse> {
    return this.http.post<PushSubscriptionResponse>('/api/push/subscriptions', request);
  }

  updatePreferences(id: string, request: PushPreferencesRequest): Observable<PushSubscriptionResponse> {
    return this.http.patch<PushSubscriptionResponse>(`/api/push/subscriptions/${id}`, request);
  }

  unsubscribe(id: string): Observable<void> {
    return this.http.delete<void>(`/api/push/subscriptions/${id}`);
  }
}
