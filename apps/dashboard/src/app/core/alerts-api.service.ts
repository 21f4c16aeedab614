import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type { AlertEventsResponse, AlertRule, AlertRuleRequest } from '@mt/contracts';
import { Observable } from 'rxjs';

/** Fired alerts (everyone) and the alert rules (admins). */
@Injectable({ providedIn: 'root' })
export class AlertsApi {
  private readonly http = inject(HttpClient);

  /** The latest fired alerts, newest first. */
  events(limit: number): Observable<AlertEventsResponse> {
    return this.http.get<AlertEventsResponse>('/api/alerts/events', { params: { limit } });
  }

  rules(): Observable<AlertRule[]> {
    return this.http.get<AlertRule[]>('/api/alerts');
  }

  createRule(request: AlertRuleRequest): Observable<AlertRule> {
    return this.http.post<AlertRule>('/api/alerts', request);
  }

  replaceRule(id: number, request: AlertRuleRequest): Observable<AlertRule> {
    return this.http.put<AlertRule>(`/api/alerts/${id}`, request);
  }

  deleteRule(id: number): Observable<void> {
    return this.http.delete<void>(`/api/alerts/${id}`);
  }
}

/** Re-exported where the dashboard has always found it; the names live with the kinds, shared with the API's notifications. */
export { ALERT_KIND_NAMES } from '@mt/contracts';
