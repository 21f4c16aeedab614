import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type { GoalProgressResponse, GoalSettings, GoalSettingsRequest } from '@mt/contracts';
import { Observable } from 'rxjs';

/** The monthly revenue goal and this month's pace against it. */
@Injectable({ providedIn: 'root' })
export class GoalsApi {
  private readonly http = inject(HttpClient);

  current(): Observable<GoalProgressResponse> {
    return this.http.get<GoalProgressResponse>('/api/goals/current');
  }

  settings(): Observable<GoalSettings> {
    return this.http.get<GoalSettings>('/api/goals');
  }

  save(request: GoalSettingsRequest): Observable<GoalSettings> {
    return this.http.put<GoalSettings>('/api/goals', request);
  }
}
