import { HttpClient, HttpParams } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type {
  CatalogueChangeResponse,
  CatalogueResponse,
  TitleDetailResponse,
  TitleSort,
  TitlesResponse,
} from '@mt/contracts';
import { Observable } from 'rxjs';
import { DateRange } from './analytics-api.service';

/** Titles (SPEC §3): revenue per title of a range, one title's page, and the catalogue (admin changes). */
@Injectable({ providedIn: 'root' })
export class TitlesApi {
  private readonly http = inject(HttpClient);

  titles(range: DateRange, limit = 10, sort: TitleSort = 'revenue'): Observable<TitlesResponse> {
    const params = new HttpParams().set('from', range.from).set('to', range.to).set('limit', limit).set('sort', sort);
    return this.http.get<TitlesResponse>('/api/titles', { params });
  }

  title(id: number, range: DateRange): Observable<TitleDetailResponse> {
    const params = new HttpParams().set('from', range.from).set('to', range.to);
    return this.http.get<TitleDetailResponse>(`/api/titles/${id}`, { params });
  }

  catalogue(search: string): Observable<CatalogueResponse> {
    const params = search.trim() ? new HttpParams().set('search', search.trim()) : new HttpParams();
    return this.http.get<CatalogueResponse>('/api/titles/catalogue', { params });
  }

  rename(id: number, title: string, dryRun = false): Observable<CatalogueChangeResponse> {
    return this.http.patch<CatalogueChangeResponse>(`/api/titles/${id}`, { title }, { params: { dryRun } });
  }

  merge(id: number, titleIds: number[], dryRun: boolean): Observable<CatalogueChangeResponse> {
    return this.http.post<CatalogueChangeResponse>(`/api/titles/${id}/merge`, { titleIds }, { params: { dryRun } });
  }

  split(id: number, editionIds: number[], dryRun: boolean): Observable<CatalogueChangeResponse> {
    return this.http.post<CatalogueChangeResponse>(`/api/titles/${id}/split`, { editionIds }, { params: { dryRun } });
  }
}
