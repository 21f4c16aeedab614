import { CallHandler, ExecutionContext, HttpStatus, Injectable, NestInterceptor } from '@nestjs/common';
import type { Response } from 'express';
import { map, Observable } from 'rxjs';

/** One file's result as both upload routes answer it: `status` in the intake's shape, errors in both. */
interface FileOutcome {
  status?: 'imported' | 'rejected';
  errors: unknown[];
}

/**
 * The status of an upload (SPEC §4, issue 12 "Bad input"): 422 when not one of its files was written
 * (each was rejected, naming file, row and column), 200 when at least one was. The body is the same
 * per-file results either way, so that one failing file never hides what happened to the others.
 */
export function uploadStatus(files: readonly FileOutcome[]): HttpStatus.OK | HttpStatus.UNPROCESSABLE_ENTITY {
  const rejected = (file: FileOutcome) => (file.status ? file.status === 'rejected' : file.errors.length > 0);
  return files.length > 0 && files.every(rejected) ? HttpStatus.UNPROCESSABLE_ENTITY : HttpStatus.OK;
}

/** Sets the upload's status from its per-file results (see `uploadStatus`). */
@Injectable()
export class UploadStatusInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler<{ files: FileOutcome[] }>): Observable<unknown> {
    const response = context.switchToHttp().getResponse<Response>();
    return next.handle().pipe(
      map((body) => {
        response.status(uploadStatus(body.files));
        return body;
      }),
    );
  }
}
