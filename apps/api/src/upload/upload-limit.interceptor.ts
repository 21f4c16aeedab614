import { CallHandler, ExecutionContext, Injectable, NestInterceptor, PayloadTooLargeException } from '@nestjs/common';
import type { Request } from 'express';
import { rm } from 'node:fs/promises';
import { catchError, finalize, Observable, throwError } from 'rxjs';
import { AppConfig } from '../config/app-config';

/**
 * Refuses an upload over UPLOAD_MAX_MB before a byte of it is read (by Content-Length), turns multer's
 * terse "File too large" (chunked requests) into the same clear 413, and removes the upload's files from
 * disk (multer's disk storage) once it is answered, whatever the answer.
 */
@Injectable()
export class UploadLimitInterceptor implements NestInterceptor {
  constructor(private readonly config: AppConfig) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<Request>();
    const length = Number(request.headers['content-length'] ?? 0);
    if (length > this.config.uploadMaxMb * 1024 * 1024) return throwError(() => this.tooLarge());
    return next.handle().pipe(
      catchError((error: unknown) =>
        throwError(() => (error instanceof PayloadTooLargeException ? this.tooLarge() : error)),
      ),
      finalize(() => void removeUploadedFiles(request)),
    );
  }

  private tooLarge(): PayloadTooLargeException {
    return new PayloadTooLargeException(
      `Upload too large: the limit is ${this.config.uploadMaxMb} MB per request (UPLOAD_MAX_MB). Split the files or send fewer at once.`,
    );
  }
}

async function removeUploadedFiles(request: Request): Promise<void> {
  const files = Array.isArray(request.files) ? request.files : Object.values(request.files ?? {}).flat();
  await Promise.all(files.filter((file) => file.path).map((file) => rm(file.path, { force: true })));
}
