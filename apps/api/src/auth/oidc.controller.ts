import { Controller, Get, Logger, Req, Res, UseGuards } from '@nestjs/common';
import { ApiFoundResponse, ApiNotFoundResponse, ApiTags } from '@nestjs/swagger';
import { ThrottlerGuard } from '@nestjs/throttler';
import type { Request, Response } from 'express';
import { AppConfig } from '../config/app-config';
import { Public } from '../common/public.decorator';
import { AuthService } from './auth.service';
import { cookieOptions, readCookie } from './credentials';
import { OIDC_LOGIN_TTL_MS, OidcService, SsoRefusal } from './oidc.service';
import { clientOf, sendSignIn } from './sign-in-http';

/** The state this browser was given; the callback must bring back the same. Sent to the OIDC routes only. */
const OIDC_STATE_COOKIE = 'mtink_oidc';
const OIDC_PATH = '/api/auth/oidc';

/**
 * Browser navigations, not XHR: both answer with redirects. The callback ends at `/` signed in, at
 * `/login?twoFactor=…` for the second step, or at `/login?ssoError=…` saying why not.
 */
@ApiTags('auth')
@Public()
@Controller('auth/oidc')
export class OidcController {
  private readonly logger = new Logger(OidcController.name);

  constructor(
    private readonly oidc: OidcService,
    private readonly auth: AuthService,
    private readonly config: AppConfig,
  ) {}

  @UseGuards(ThrottlerGuard)
  @Get('login')
  @ApiFoundResponse({ description: "to the provider's sign-in page, with PKCE, state and nonce" })
  @ApiNotFoundResponse({ description: 'single sign-on is not configured' })
  async login(@Req() req: Request, @Res() res: Response): Promise<void> {
    const { url, state } = await this.oidc.begin(`${this.publicOrigin(req)}${OIDC_PATH}/callback`);
    res.cookie(OIDC_STATE_COOKIE, state, { ...cookieOptions(req, OIDC_PATH), maxAge: OIDC_LOGIN_TTL_MS });
    res.redirect(302, url);
  }

  @Get('callback')
  @ApiFoundResponse({ description: 'to the dashboard signed in, or to the login page with the reason' })
  async callback(@Req() req: Request, @Res() res: Response): Promise<void> {
    res.clearCookie(OIDC_STATE_COOKIE, cookieOptions(req, OIDC_PATH));
    try {
      const user = await this.oidc.finish(readCookie(req.headers.cookie, OIDC_STATE_COOKIE), req.query);
      const result = await this.auth.signIn(user, clientOf(req));
      const body = sendSignIn(req, res, result);
      res.redirect(302, 'twoFactorRequired' in body ? `/login?twoFactor=${body.step}` : '/');
    } catch (error) {
      if (!(error instanceof SsoRefusal)) throw error;
      this.logger.warn(`single sign-on refused (${error.reason}): ${error.detail}`);
      res.redirect(302, `/login?ssoError=${error.reason}`);
    }
  }

  /** PUBLIC_URL, or the origin the browser used (Express resolves the scheme under TRUST_PROXY). */
  private publicOrigin(req: Request): string {
    return this.config.signIn.publicUrl ?? `${req.protocol}://${req.get('host')}`;
  }
}
