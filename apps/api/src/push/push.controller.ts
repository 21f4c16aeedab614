import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Req } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { PushPublicKeyResponse, PushSubscriptionResponse, PushSubscriptionsResponse } from '@mt/contracts';
import { ApiSignedIn } from '../auth/api-auth';
import { principal } from '../auth/auth.controller';
import type { AuthenticatedRequest } from '../auth/principal';
import { IdParamDto } from '../common/validation';
import { PushPreferencesDto, PushSubscribeDto } from './push.dto';
import { PushPublicKeySchema, PushSubscriptionSchema, PushSubscriptionsSchema } from './push.responses';
import { PushService } from './push.service';

/** The caller's own devices: another user's subscription answers 404, as one that does not exist. */
@ApiTags('push')
@ApiSignedIn()
@Controller('push')
export class PushController {
  constructor(private readonly push: PushService) {}

  @Get('public-key')
  @ApiOkResponse({ type: PushPublicKeySchema, description: 'the VAPID key to subscribe with' })
  publicKey(): PushPublicKeyResponse {
    return this.push.publicKey();
  }

  @Get('subscriptions')
  @ApiOkResponse({ type: PushSubscriptionsSchema, description: "the caller's devices" })
  list(@Req() req: AuthenticatedRequest): Promise<PushSubscriptionsResponse> {
    return this.push.list(principal(req).id);
  }

  @Post('subscriptions')
  @ApiCreatedResponse({ type: PushSubscriptionSchema, description: 'this device, now ringing for the caller' })
  subscribe(@Req() req: AuthenticatedRequest, @Body() body: PushSubscribeDto): Promise<PushSubscriptionResponse> {
    return this.push.subscribe(principal(req).id, body);
  }

  @Patch('subscriptions/:id')
  @ApiOkResponse({ type: PushSubscriptionSchema, description: 'what rings on this device, as saved' })
  @ApiNotFoundResponse({ description: 'no such subscription of the caller' })
  updatePreferences(
    @Req() req: AuthenticatedRequest,
    @Param() { id }: IdParamDto,
    @Body() body: PushPreferencesDto,
  ): Promise<PushSubscriptionResponse> {
    return this.push.updatePreferences(principal(req).id, id, body);
  }

  @Delete('subscriptions/:id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'the device rings no more' })
  @ApiNotFoundResponse({ description: 'no such subscription of the caller' })
  unsubscribe(@Req() req: AuthenticatedRequest, @Param() { id }: IdParamDto): Promise<void> {
    return this.push.unsubscribe(principal(req).id, id);
  }
}
