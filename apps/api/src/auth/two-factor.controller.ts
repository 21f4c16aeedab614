import { Body, Controller, ForbiddenException, Get, HttpCode, Post, Put, Query, Req, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import type { Response } from 'express';
import type { RecoveryCodes, TwoFactorPolicy, TwoFactorSetup, TwoFactorStatus } from '@mt/contracts';
import { Clock, ClockQuery } from '../common/clock';
import { DisableTwoFactorDto, TwoFactorCodeDto, TwoFactorPolicyDto } from './auth.dto';
import { principal } from './auth.controller';
import { withRetryAfter } from './sign-in-http';
import type { AuthenticatedRequest, Principal } from './principal';
import { AdminOnly } from './roles.decorator';
import { ApiSignedIn } from './api-auth';
import {
  RecoveryCodesSchema,
  TwoFactorPolicySchema,
  TwoFactorSetupSchema,
  TwoFactorStatusSchema,
} from './sign-in.responses';
import { TwoFactorService } from './two-factor.service';

/**
 * The signed-in user's own two-factor sign-in, and the admin's "required for everyone". Sessions only:
 * API tokens stay as they are, and a token must not change how its user signs in.
 */
@ApiTags('auth')
@ApiSignedIn()
@Controller('auth/2fa')
export class TwoFactorController {
  constructor(
    private readonly twoFactor: TwoFactorService,
    private readonly clock: Clock,
  ) {}

  @Get()
  @ApiOkResponse({
    type: TwoFactorStatusSchema,
    description: 'whether two-factor is on, pending or required, and how many recovery codes are left',
  })
  status(@Req() req: AuthenticatedRequest): Promise<TwoFactorStatus> {
    return this.twoFactor.status(sessionUser(req).id);
  }

  /** Pending until confirmed; the secret is in this response only. */
  @Post('setup')
  @HttpCode(200)
  @ApiOkResponse({
    type: TwoFactorSetupSchema,
    description: 'the secret as otpauth URL, QR code and text, shown this once',
  })
  @ApiConflictResponse({ description: 'two-factor is on already' })
  setup(@Req() req: AuthenticatedRequest): Promise<TwoFactorSetup> {
    return this.twoFactor.setup(sessionUser(req));
  }

  @Post('confirm')
  @HttpCode(200)
  @ApiOkResponse({ type: RecoveryCodesSchema, description: 'two-factor is on; ten recovery codes, shown this once' })
  @ApiBadRequestResponse({ description: 'the code is wrong, or nothing was set up' })
  @ApiTooManyRequestsResponse({ description: '5 wrong codes within a minute for this account' })
  confirm(
    @Body() body: TwoFactorCodeDto,
    @Query() query: ClockQuery,
    @Req() req: AuthenticatedRequest,
    @Res({ passthrough: true }) res: Response,
  ): Promise<RecoveryCodes> {
    return this.twoFactor
      .confirm(sessionUser(req).id, body.code, this.clock.now(query.now))
      .catch((error: unknown) => withRetryAfter(res, error));
  }

  /** With the current code or the account's password. */
  @Post('disable')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'two-factor is off; the recovery codes are gone' })
  @ApiBadRequestResponse({ description: 'wrong code or password' })
  @ApiConflictResponse({ description: 'an admin requires two-factor for everyone' })
  @ApiTooManyRequestsResponse({ description: '5 wrong codes or passwords within a minute for this account' })
  disable(
    @Body() body: DisableTwoFactorDto,
    @Query() query: ClockQuery,
    @Req() req: AuthenticatedRequest,
    @Res({ passthrough: true }) res: Response,
  ): Promise<void> {
    return this.twoFactor
      .disable(sessionUser(req).id, body, this.clock.now(query.now))
      .catch((error: unknown) => withRetryAfter(res, error));
  }

  @AdminOnly()
  @Get('policy')
  @ApiOkResponse({ type: TwoFactorPolicySchema })
  @ApiForbiddenResponse({ description: 'admins only' })
  async policy(): Promise<TwoFactorPolicy> {
    return { requireTwoFactor: await this.twoFactor.requireTwoFactor() };
  }

  /** Takes effect at each user's next sign-in: who has no second factor sets one up before getting a session. */
  @AdminOnly()
  @Put('policy')
  @ApiOkResponse({ type: TwoFactorPolicySchema, description: 'the policy as saved' })
  @ApiForbiddenResponse({ description: 'admins only' })
  async setPolicy(@Body() body: TwoFactorPolicyDto): Promise<TwoFactorPolicy> {
    await this.twoFactor.setRequireTwoFactor(body.requireTwoFactor);
    return { requireTwoFactor: body.requireTwoFactor };
  }
}

function sessionUser(req: AuthenticatedRequest): Principal {
  const user = principal(req);
  if (user.via !== 'session')
    throw new ForbiddenException('two-factor sign-in is set up from a signed-in browser, not with an API token');
  return user;
}
