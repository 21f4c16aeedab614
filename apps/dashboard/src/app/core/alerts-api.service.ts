import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type { AlertEventsResponse, AlertKind, AlertRule, AlertRuleRequest } from '@mt/contracts';
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

/** What each kind of rule watches, in words; also what presenter mode shows instead of a subject with amounts. */
export const ALERT_KIND_NAMES: Record<AlertKind, string> = {
  day_revenue: 'Day revenue milestone',
  week_orders: 'Week orders milestone',
  best_day: 'Best day ever',
  silence: 'No order for a while',
  daily_digest: 'Daily digest',
};
