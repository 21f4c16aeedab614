import { HttpErrorResponse, HttpInterceptorFn } from '@angular/common/http';
import { inject } from '@angular/core';
import { CanActivateFn, Router } from '@angular/router';
import { catchError, throwError } from 'rxjs';
import { AuthService } from './auth.service';

/** Pages behind the login: without a session, go to /login and come back afterwards. */
export const signedInGuard: CanActivateFn = async (_route, state) => {
  const router = inject(Router);
  const user = await inject(AuthService).currentUser();
  return user
    ? true
    : router.createUrlTree(['/login'], { queryParams: state.url && state.url !== '/' ? { returnTo: state.url } : {} });
};

export const adminGuard: CanActivateFn = async () => {
  // inject() only works before the first await.
  const router = inject(Router);
  const user = await inject(AuthService).currentUser();
  return user?.role === 'admin' ? true : router.createUrlTree(['/']);
};

/** Any 401 from the API (other than the login form's own) ends the session in the UI too. */
export const sessionExpiryInterceptor: HttpInterceptorFn = (request, next) => {
  const auth = inject(AuthService);
  const router = inject(Router);
  return next(request).pipe(
    catchError((failure: unknown) => {
      const ownCheck = request.url.startsWith('/api/auth/');
      if (failure instanceof HttpErrorResponse && failure.status === 401 && !ownCheck) {
        auth.sessionEnded();
        void router.navigate(['/login']);
      }
      return throwError(() => failure);
    }),
  );
};
