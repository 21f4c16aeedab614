import { HttpClient, HttpErrorResponse, HttpEventType, HttpStatusCode } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type { ImportHistoryResponse, UploadFileResult, UploadResponse } from '@mt/contracts';
import { Observable, catchError, filter, map, of, throwError } from 'rxjs';

/** Progress of one upload request: bytes sent so far, then the API's answer, one result per file. */
export type UploadProgress =
  { kind: 'progress'; loaded: number; total: number } | { kind: 'done'; results: UploadFileResult[] };

@Injectable({ providedIn: 'root' })
export class UploadApi {
  private readonly http = inject(HttpClient);

  /**
   * The files dropped together go in one request, as the API reads them together: an Etsy Sold Orders
   * file and its Sold Order Items file are paired only within one upload. Each file still gets its own
   * result, and its own progress from the bytes sent (the files are sent in order). An upload of which
   * no file landed is a 422 with the same per-file results: they are shown like any others.
   */
  uploadFiles(files: File[]): Observable<UploadProgress> {
    const body = new FormData();
    for (const file of files) body.append('files', file, file.name);
    return this.http.post<UploadResponse>('/api/upload', body, { reportProgress: true, observe: 'events' }).pipe(
      filter((event) => event.type === HttpEventType.UploadProgress || event.type === HttpEventType.Response),
      map((event): UploadProgress => {
        if (event.type === HttpEventType.Response) return { kind: 'done', results: event.body?.files ?? [] };
        const progress = event as { loaded: number; total?: number };
        return { kind: 'progress', loaded: progress.loaded, total: progress.total ?? 0 };
      }),
      catchError((failure: unknown) => {
        const rejected = failure instanceof HttpErrorResponse && failure.status === HttpStatusCode.UnprocessableEntity;
        const files = rejected ? (failure.error as Partial<UploadResponse> | null)?.files : undefined;
        return files ? of<UploadProgress>({ kind: 'done', results: files }) : throwError(() => failure);
      }),
    );
  }

  /** The import history, newest first: orders, Spotify reports and rate files alike. */
  imports(limit = 20): Observable<ImportHistoryResponse> {
    return this.http.get<ImportHistoryResponse>('/api/imports', { params: { limit } });
  }
}

/**
 * Each file's share of the bytes sent so far: the multipart body holds the files in order, so file i is
 * done once the bytes before it and its own are sent (the part headers are small next to any report).
 */
export function fileProgress(sizes: number[], loaded: number, total: number): number[] {
  const content = sizes.reduce((sum, size) => sum + size, 0);
  // The body is a little larger than the files: spread the overhead so that the last file ends at `total`.
  const sent = total > 0 ? (loaded / total) * content : 0;
  let before = 0;
  return sizes.map((size) => {
    const fraction = size === 0 ? (sent >= before ? 1 : 0) : Math.min(1, Math.max(0, (sent - before) / size));
    before += size;
    return fraction;
  });
}
