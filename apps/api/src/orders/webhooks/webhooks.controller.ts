import { Controller, Headers, HttpCode, Post, Req, UseFilters } from '@nestjs/common';
import {
  ApiBadGatewayResponse,
  ApiOkResponse,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { Request } from 'express';
import type { WebhookAck } from '@mt/contracts';
import { Public } from '../../common/public.decorator';
import { WebhookAckSchema } from '../orders.responses';
import { WebhookRetryAfter } from './webhook-admission';
import { rawBodyOf } from './webhook-raw-body';
import { WebhooksService, Headers as HeaderMap } from './webhooks.service';

/** Public: the platforms authenticate with an HMAC signature of the raw body instead of a session. */
@ApiTags('webhooks')
@ApiServiceUnavailableResponse({
  description: 'not stored within WEBHOOK_STORE_DEADLINE_MS; send it again after Retry-After seconds',
})
@UseFilters(WebhookRetryAfter)
@Controller('webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Public()
  @Post('shopify')
  @HttpCode(200)
  @ApiOkResponse({ type: WebhookAckSchema, description: 'delivery stored (or recognised as a duplicate)' })
  @ApiUnauthorizedResponse({ description: 'X-Shopify-Hmac-Sha256 missing or wrong; nothing stored' })
  shopify(@Req() req: Request, @Headers() headers: HeaderMap): Promise<WebhookAck> {
    return this.webhooks.shopify(headers, rawBodyOf(req));
  }

  @Public()
  @Post('woocommerce')
  @HttpCode(200)
  @ApiOkResponse({ type: WebhookAckSchema, description: 'delivery stored, or the unsigned ping acknowledged' })
  @ApiUnauthorizedResponse({ description: 'X-WC-Webhook-Signature missing or wrong; nothing stored' })
  woocommerce(@Req() req: Request, @Headers() headers: HeaderMap): Promise<WebhookAck> {
    return this.webhooks.woocommerce(headers, rawBodyOf(req));
  }

  @Public()
  @Post('etsy')
  @HttpCode(200)
  @ApiOkResponse({
    type: WebhookAckSchema,
    description: 'the receipt the event names fetched and stored (or the delivery recognised as a duplicate)',
  })
  @ApiUnauthorizedResponse({
    description: 'webhook-signature missing or wrong, or webhook-timestamp more than 5 minutes away; nothing stored',
  })
  @ApiBadGatewayResponse({ description: 'the receipt could not be fetched from Etsy; nothing stored, Etsy retries' })
  etsy(@Req() req: Request, @Headers() headers: HeaderMap): Promise<WebhookAck> {
    return this.webhooks.etsy(headers, rawBodyOf(req));
  }
}
