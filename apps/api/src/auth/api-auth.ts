import { applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, type SecuritySchemeObject } from '@nestjs/swagger';
import { SESSION_COOKIE } from './credentials';

/**
 * The two ways past the global guard (auth.guard.ts), as security schemes of the OpenAPI document, so
 * that the explorer's "Authorize" sends them. Named `bearer` and `cookie` in the document.
 */
export const TOKEN_SCHEME = 'bearer';
export const TOKEN_SECURITY: SecuritySchemeObject = {
  type: 'http',
  scheme: 'bearer',
  description: 'An API token (POST /api/auth/tokens), sent as Authorization: Bearer <secret>',
};

export const SESSION_SCHEME = 'cookie';
export const SESSION_SECURITY: SecuritySchemeObject = {
  type: 'apiKey',
  in: 'cookie',
  name: SESSION_COOKIE,
  description:
    'The session cookie set by POST /api/auth/login; the browser sends it by itself once you have signed in to the dashboard',
};

/**
 * On every controller (or handler) that the global guard protects, i.e. all but `@Public()` ones:
 * either a token or a session will do.
 */
export const ApiSignedIn = (): ClassDecorator & MethodDecorator =>
  applyDecorators(ApiBearerAuth(TOKEN_SCHEME), ApiCookieAuth(SESSION_SCHEME));
