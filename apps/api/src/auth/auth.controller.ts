import {
  Body,
  Controller,
  Delete,
  ForbiddenException,
  Get,
  HttpCode,
  NotFoundException,
  Param,
  Post,
  Req,
  Res,
  UseGuards,
} from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { ThrottlerGuard } from '@nestjs/throttler';
import type { Request, Response } from 'express';
import type { ApiTokensResponse, CreatedApiToken, LoginResponse, MeResponse } from '@mt/contracts';
import { AppConfig } from '../config/app-config';
import { Public } from '../common/public.decorator';
import { IdParamDto } from '../common/validation';
import { ApiSignedIn } from './api-auth';
import { CreateApiTokenDto, LoginDto } from './auth.dto';
import {
  ApiTokensResponseSchema,
  CreatedApiTokenSchema,
  LoginResponseSchema,
  MeResponseSchema,
} from './auth.responses';
import { AuthService, LoginLockedException } from './auth.service';
import { isHttps, isSameOriginRequest, readCookie, SESSION_COOKIE } from './credentials';
import type { AuthenticatedRequest, Principal } from './principal';
import { AdminOnly } from './roles.decorator';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly config: AppConfig,
  ) {}

  /** Sets the httpOnly session cookie; the body says who signed in. Failures are counted per e-mail and address. */
  @Public()
  @UseGuards(ThrottlerGuard)
  @Post('login')
  @HttpCode(200)
  @ApiOkResponse({ type: LoginResponseSchema, description: 'signed in; Set-Cookie carries the session' })
  @ApiUnauthorizedResponse({ description: 'wrong e-mail or password' })
  @ApiTooManyRequestsResponse({ description: '5 failures within a minute for this e-mail from this address' })
  async login(
    @Body() body: LoginDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<LoginResponse> {
    // Login CSRF: a foreign page must not sign the browser into an account of the attacker's.
    if (!isSameOriginRequest(req.headers, this.config.corsOrigins))
      throw new ForbiddenException('cross-origin login refused');
    const session = await this.auth
      .login(body.email, body.password, { ip: req.ip ?? 'unknown', userAgent: req.headers['user-agent'] ?? null })
      .catch((error: unknown) => {
        if (error instanceof LoginLockedException) res.setHeader('Retry-After', String(error.retryAfterSeconds));
        throw error;
      });
    res.cookie(SESSION_COOKIE, session.secret, {
      httpOnly: true,
      sameSite: 'lax',
      secure: isHttps(req),
      path: '/',
      expires: session.expiresAt,
    });
    return { user: session.user, expiresAt: session.expiresAt.toISOString() };
  }

  @ApiSignedIn()
  @Post('logout')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'the session is deleted on the server and the cookie cleared' })
  async logout(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<void> {
    await this.auth.logout(readCookie(req.headers.cookie, SESSION_COOKIE));
    res.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'lax', secure: isHttps(req), path: '/' });
  }

  @ApiSignedIn()
  @Get('me')
  @ApiOkResponse({ type: MeResponseSchema, description: 'the signed-in user and how they authenticated' })
  me(@Req() req: AuthenticatedRequest): MeResponse {
    const { via, ...user } = principal(req);
    return { user, via };
  }

  @ApiSignedIn()
  @AdminOnly()
  @Get('tokens')
  @ApiOkResponse({ type: ApiTokensResponseSchema, description: 'every token, revoked ones included' })
  @ApiForbiddenResponse({ description: 'admins only' })
  async tokens(): Promise<ApiTokensResponse> {
    return { tokens: await this.auth.listTokens() };
  }

  /** The secret is in this response only. */
  @ApiSignedIn()
  @AdminOnly()
  @Post('tokens')
  @ApiCreatedResponse({ type: CreatedApiTokenSchema, description: 'the token and its secret, shown once' })
  @ApiForbiddenResponse({ description: 'admins only' })
  async createToken(@Body() body: CreateApiTokenDto, @Req() req: AuthenticatedRequest): Promise<CreatedApiToken> {
    const admin = principal(req);
    const created = await this.auth.createToken(body.name.trim(), body.userId ?? admin.id, admin.id);
    if (!created) throw new NotFoundException(`no user ${body.userId}`);
    return created;
  }

  /** Takes effect with the next request that presents the token. */
  @ApiSignedIn()
  @AdminOnly()
  @Delete('tokens/:id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'revoked' })
  @ApiForbiddenResponse({ description: 'admins only' })
  async revokeToken(@Param() params: IdParamDto): Promise<void> {
    if ((await this.auth.revokeToken(params.id)) === 'missing') throw new NotFoundException(`no token ${params.id}`);
  }
}

export function principal(req: AuthenticatedRequest): Principal {
  // The global guard ran before any non-public handler; a missing user is a wiring bug, not a 401.
  if (!req.user) throw new Error('no authenticated user on a protected route');
  return req.user;
}
