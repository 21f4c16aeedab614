import { HttpClient, HttpEventType } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type { UploadFileResult, UploadResponse } from '@mt/contracts';
import { Observable, filter, map } from 'rxjs';

/** Progress of one upload request: bytes sent so far, then the API's answer. */
export type UploadProgress =
  { kind: 'progress'; fraction: number } | { kind: 'done'; result: UploadFileResult | undefined };

@Injectable({ providedIn: 'root' })
export class UploadApi {
  private readonly http = inject(HttpClient);

  /**
   * One file per request, so that each file gets its own progress bar and its own outcome; the API
   * treats every file as its own transaction anyway.
   */
  uploadFile(file: File): Observable<UploadProgress> {
    const body = new FormData();
    body.append('files', file, file.name);
    return this.http.post<UploadResponse>('/api/upload', body, { reportProgress: true, observe: 'events' }).pipe(
      filter((event) => event.type === HttpEventType.UploadProgress || event.type === HttpEventType.Response),
      map((event): UploadProgress => {
        if (event.type === HttpEventType.UploadProgress) {
          return { kind: 'progress', fraction: event.total ? event.loaded / event.total : 0 };
        }
        if (event.type === HttpEventType.Response) return { kind: 'done', result: event.body?.files[0] };
        return { kind: 'progress', fraction: 0 };
      }),
    );
  }
}
