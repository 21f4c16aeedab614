import { CanActivate, ExecutionContext, ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import type { Role } from '@mt/contracts';
import { IS_PUBLIC } from '../common/public.decorator';
import { AppConfig } from '../config/app-config';
import { AuthService } from './auth.service';
import { credentialsFrom, isSafeMethod, isSameOriginRequest } from './credentials';
import type { AuthenticatedRequest } from './principal';
import { ROLES_KEY } from './roles.decorator';

/**
 * The global guard (APP_GUARD): every HTTP route needs a session cookie or a bearer token unless it
 * is marked `@Public()`; `@AdminOnly()` / `@Roles()` then narrow it by role (403). Socket.IO
 * connections are authenticated once, in the gateway's handshake.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
    private readonly config: AppConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const req = context.switchToHttp().getRequest<Request & AuthenticatedRequest>();
    const principal = await this.auth.authenticate(credentialsFrom(req.headers));
    if (!principal) throw new UnauthorizedException('sign in or send an API token (Authorization: Bearer …)');
    if (
      principal.via === 'session' &&
      !isSafeMethod(req.method) &&
      !isSameOriginRequest(req.headers, this.config.corsOrigins)
    ) {
      throw new ForbiddenException('cross-origin request refused; send it from the dashboard or with an API token');
    }
    req.user = principal;
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (roles && !roles.includes(principal.role)) throw new ForbiddenException(`needs the ${roles.join(' or ')} role`);
    return true;
  }
}
