import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type { OrderRemovedResponse, Platform, StoredOrdersResponse } from '@mt/contracts';
import { Observable } from 'rxjs';

/** Stored orders (admin): find one by number or id, and remove one that should not be there. */
@Injectable({ providedIn: 'root' })
export class OrdersApi {
  private readonly http = inject(HttpClient);

  find(platform: Platform, ref: string): Observable<StoredOrdersResponse> {
    return this.http.get<StoredOrdersResponse>('/api/orders/find', { params: { platform, ref } });
  }

  remove(id: string): Observable<OrderRemovedResponse> {
    return this.http.delete<OrderRemovedResponse>(`/api/orders/${encodeURIComponent(id)}`);
  }
}
