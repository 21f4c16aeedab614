import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type { SourcesResponse } from '@mt/contracts';
import { Observable } from 'rxjs';

/** Where orders come from (webhooks, pollers, imports) and when each last synced. */
@Injectable({ providedIn: 'root' })
export class SourcesApi {
  private readonly http = inject(HttpClient);

  list(): Observable<SourcesResponse> {
    return this.http.get<SourcesResponse>('/api/sources');
  }
}
