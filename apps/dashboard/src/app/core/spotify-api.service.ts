import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type {
  SpotifyCountriesResponse,
  SpotifyMinutesResponse,
  SpotifyMonthsResponse,
  SpotifyQuarterlyProjectionResponse,
  SpotifyStatementsResponse,
  SpotifySettings,
  SpotifySettingsUpdate,
} from '@mt/contracts';
import { Observable } from 'rxjs';

/** Spotify listening stats, quarters, projection and the settings behind the estimates. */
@Injectable({ providedIn: 'root' })
export class SpotifyApi {
  private readonly http = inject(HttpClient);

  minutes(weeks = 12): Observable<SpotifyMinutesResponse> {
    return this.http.get<SpotifyMinutesResponse>('/api/spotify/minutes', { params: { weeks } });
  }

  countries(weeks = 8): Observable<SpotifyCountriesResponse> {
    return this.http.get<SpotifyCountriesResponse>('/api/spotify/countries', { params: { weeks } });
  }

  quarterlyProjection(): Observable<SpotifyQuarterlyProjectionResponse> {
    return this.http.get<SpotifyQuarterlyProjectionResponse>('/api/spotify/quarterly-projection');
  }

  months(months = 12): Observable<SpotifyMonthsResponse> {
    return this.http.get<SpotifyMonthsResponse>('/api/spotify/months', { params: { months } });
  }

  statements(): Observable<SpotifyStatementsResponse> {
    return this.http.get<SpotifyStatementsResponse>('/api/spotify/statements');
  }

  settings(): Observable<SpotifySettings> {
    return this.http.get<SpotifySettings>('/api/settings/spotify');
  }

  saveSettings(update: SpotifySettingsUpdate): Observable<SpotifySettings> {
    return this.http.put<SpotifySettings>('/api/settings/spotify', update);
  }
}
