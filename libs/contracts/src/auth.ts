import type { IsoDateTime, Role } from './common';

/** `POST /api/auth/login` body. */
export interface LoginRequest {
  email: string;
  password: string;
}

/** Who is signed in, as the dashboard and `GET /api/auth/me` see them. */
export interface CurrentUser {
  id: string;
  email: string;
  name: string;
  role: Role;
}

/** `POST /api/auth/login`: the session itself travels in the httpOnly cookie, never in the body. */
export interface LoginResponse {
  user: CurrentUser;
  expiresAt: IsoDateTime;
}

/** `GET /api/auth/me`; `via` says whether a session cookie or an API token was used. */
export interface MeResponse {
  user: CurrentUser;
  via: 'session' | 'token';
}

export interface UserSummary extends CurrentUser {
  createdAt: IsoDateTime;
}

/** `GET /api/users` (admin). */
export interface UsersResponse {
  users: UserSummary[];
}

/** `POST /api/users` (admin): the admin sets the first password and hands it over. */
export interface InviteUserRequest {
  email: string;
  name?: string;
  role: Role;
  password: string;
}

/** `PATCH /api/users/:id` (admin). */
export interface ChangeRoleRequest {
  role: Role;
}

export interface ApiTokenSummary {
  id: string;
  name: string;
  /** The token acts as this user, with this user's current role. */
  userId: string;
  userEmail: string;
  createdAt: IsoDateTime;
  lastUsedAt: IsoDateTime | null;
  revokedAt: IsoDateTime | null;
}

/** `GET /api/auth/tokens` (admin). */
export interface ApiTokensResponse {
  tokens: ApiTokenSummary[];
}

/** `POST /api/auth/tokens` (admin); `userId` defaults to the admin creating it. */
export interface CreateApiTokenRequest {
  name: string;
  userId?: string;
}

/** The secret is in this response only; the server keeps its SHA-256. Send it as `Authorization: Bearer <secret>`. */
export interface CreatedApiToken {
  token: ApiTokenSummary;
  secret: string;
}
