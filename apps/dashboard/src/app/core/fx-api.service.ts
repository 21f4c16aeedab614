import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type { FxRatesRequest, FxRatesStoredResponse, FxRefreshResponse, FxStatusResponse } from '@mt/contracts';
import { Observable } from 'rxjs';

/** Exchange rates: each currency's state, adding rates (admin) and fetching the ECB rates now (admin). */
@Injectable({ providedIn: 'root' })
export class FxApi {
  private readonly http = inject(HttpClient);

  status(): Observable<FxStatusResponse> {
    return this.http.get<FxStatusResponse>('/api/fx/status');
  }

  addRates(request: FxRatesRequest): Observable<FxRatesStoredResponse> {
    return this.http.post<FxRatesStoredResponse>('/api/fx/rates', request);
  }

  fetchNow(): Observable<FxRefreshResponse> {
    return this.http.post<FxRefreshResponse>('/api/fx/refresh', {});
  }
}
