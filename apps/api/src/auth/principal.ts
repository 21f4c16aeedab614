import type { CurrentUser } from '@mt/contracts';

/** The authenticated caller, set on `request.user` by the global guard and on `socket.data.user`. */
export interface Principal extends CurrentUser {
  via: 'session' | 'token';
}

export type AuthenticatedRequest = { user?: Principal };
