import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  NotFoundException,
  Param,
  Post,
  Query,
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
import type {
  ApiTokensResponse,
  CreatedApiToken,
  EnrolledSignIn,
  LoginResponse,
  MeResponse,
  PasswordLoginResponse,
  SignInOptions,
  TwoFactorSetup,
} from '@mt/contracts';
import { AppConfig } from '../config/app-config';
import { Clock, ClockQuery } from '../common/clock';
import { Public } from '../common/public.decorator';
import { IdParamDto } from '../common/validation';
import { ApiSignedIn } from './api-auth';
import { CreateApiTokenDto, LoginDto, SecondFactorDto, TwoFactorCodeDto } from './auth.dto';
import {
  ApiTokensResponseSchema,
  CreatedApiTokenSchema,
  LoginResponseSchema,
  MeResponseSchema,
} from './auth.responses';
import { AuthService } from './auth.service';
import { cookieOptions, readCookie, SESSION_COOKIE } from './credentials';
import { OidcService } from './oidc.service';
import {
  clearPendingLoginCookie,
  clientOf,
  PENDING_LOGIN_COOKIE,
  refuseCrossOrigin,
  sendSignIn,
  setSessionCookie,
  withRetryAfter,
} from './sign-in-http';
import {
  EnrolledSignInSchema,
  PasswordLoginResponseSchema,
  SignInOptionsSchema,
  TwoFactorSetupSchema,
} from './sign-in.responses';
import { TwoFactorService } from './two-factor.service';
import type { AuthenticatedRequest, Principal } from './principal';
import { AdminOnly } from './roles.decorator';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly twoFactor: TwoFactorService,
    private readonly oidc: OidcService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  /**
   * Sets the httpOnly session cookie, or (two-factor on, or required) a short-lived pending-login
   * cookie and `{ twoFactorRequired, step }`. Failures are counted per e-mail and address.
   */
  @Public()
  @UseGuards(ThrottlerGuard)
  @Post('login')
  @HttpCode(200)
  @ApiOkResponse({
    type: PasswordLoginResponseSchema,
    description: 'signed in (Set-Cookie carries the session), or { twoFactorRequired: true, step }',
  })
  @ApiUnauthorizedResponse({ description: 'wrong e-mail or password' })
  @ApiTooManyRequestsResponse({ description: '5 failures within a minute for this e-mail from this address' })
  async login(
    @Body() body: LoginDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<PasswordLoginResponse> {
    refuseCrossOrigin(req, this.config);
    const result = await this.auth
      .login(body.email, body.password, clientOf(req))
      .catch((error: unknown) => withRetryAfter(res, error));
    return sendSignIn(req, res, result);
  }

  /** The second step: a TOTP code or one of the recovery codes (used up). */
  @Public()
  @UseGuards(ThrottlerGuard)
  @Post('login/2fa')
  @HttpCode(200)
  @ApiOkResponse({ type: LoginResponseSchema, description: 'signed in; Set-Cookie carries the session' })
  @ApiUnauthorizedResponse({ description: 'wrong code, or the pending sign-in expired' })
  @ApiTooManyRequestsResponse({ description: '5 wrong codes within a minute for this account' })
  async loginSecondFactor(
    @Body() body: SecondFactorDto,
    @Query() query: ClockQuery,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<LoginResponse> {
    refuseCrossOrigin(req, this.config);
    const userId = await this.twoFactor
      .completeWithCode(readCookie(req.headers.cookie, PENDING_LOGIN_COOKIE), body, this.clock.now(query.now))
      .catch((error: unknown) => withRetryAfter(res, error));
    return this.startSession(userId, req, res);
  }

  /** Enrolment an admin requires: the QR code for the pending sign-in's account (no session yet). */
  @Public()
  @UseGuards(ThrottlerGuard)
  @Post('login/2fa/setup')
  @HttpCode(200)
  @ApiOkResponse({
    type: TwoFactorSetupSchema,
    description: 'the secret as otpauth URL, QR code and text, shown this once',
  })
  @ApiUnauthorizedResponse({ description: 'the pending sign-in expired' })
  setupForSignIn(@Req() req: Request): Promise<TwoFactorSetup> {
    refuseCrossOrigin(req, this.config);
    return this.twoFactor.setupForPending(readCookie(req.headers.cookie, PENDING_LOGIN_COOKIE));
  }

  /** The first code turns two-factor on and starts the session; the recovery codes are in this response only. */
  @Public()
  @UseGuards(ThrottlerGuard)
  @Post('login/2fa/confirm')
  @HttpCode(200)
  @ApiOkResponse({
    type: EnrolledSignInSchema,
    description: 'two-factor on, signed in, and ten recovery codes shown this once',
  })
  @ApiTooManyRequestsResponse({ description: '5 wrong codes within a minute for this account' })
  async confirmForSignIn(
    @Body() body: TwoFactorCodeDto,
    @Query() query: ClockQuery,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<EnrolledSignIn> {
    refuseCrossOrigin(req, this.config);
    const { userId, recoveryCodes } = await this.twoFactor
      .confirmForPending(readCookie(req.headers.cookie, PENDING_LOGIN_COOKIE), body.code, this.clock.now(query.now))
      .catch((error: unknown) => withRetryAfter(res, error));
    return { signedIn: await this.startSession(userId, req, res), recoveryCodes };
  }

  /** What the login page offers besides the password. */
  @Public()
  @Get('config')
  @ApiOkResponse({ type: SignInOptionsSchema, description: 'whether single sign-on is configured, and its name' })
  options(): SignInOptions {
    const name = this.oidc.name;
    return { oidc: name === null ? null : { name, loginUrl: '/api/auth/oidc/login' } };
  }

  @ApiSignedIn()
  @Post('logout')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'the session is deleted on the server and the cookie cleared' })
  async logout(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<void> {
    await this.auth.logout(readCookie(req.headers.cookie, SESSION_COOKIE));
    res.clearCookie(SESSION_COOKIE, cookieOptions(req));
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

  private async startSession(userId: string, req: Request, res: Response): Promise<LoginResponse> {
    const session = await this.auth.startSession(userId, clientOf(req));
    clearPendingLoginCookie(req, res);
    setSessionCookie(req, res, session);
    return { user: session.user, expiresAt: session.expiresAt.toISOString() };
  }
}

export function principal(req: AuthenticatedRequest): Principal {
  // The global guard ran before any non-public handler; a missing user is a wiring bug, not a 401.
  if (!req.user) throw new Error('no authenticated user on a protected route');
  return req.user;
}
