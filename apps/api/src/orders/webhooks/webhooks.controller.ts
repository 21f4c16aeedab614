import { Controller, Headers, HttpCode, Post, RawBodyRequest, Req } from '@nestjs/common';
import { ApiOkResponse, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Request } from 'express';
import type { WebhookAck } from '@mt/contracts';
import { Public } from '../../common/public.decorator';
import { WebhooksService, Headers as HeaderMap } from './webhooks.service';

/** Public: the platforms authenticate with an HMAC signature of the raw body instead of a session. */
@ApiTags('webhooks')
@Controller('webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Public()
  @Post('shopify')
  @HttpCode(200)
  @ApiOkResponse({ description: 'delivery stored (or recognised as a duplicate)' })
  @ApiUnauthorizedResponse({ description: 'X-Shopify-Hmac-Sha256 missing or wrong; nothing stored' })
  shopify(@Req() req: RawBodyRequest<Request>, @Headers() headers: HeaderMap): Promise<WebhookAck> {
    return this.webhooks.shopify(headers, req.rawBody, jsonBody(req));
  }

  @Public()
  @Post('woocommerce')
  @HttpCode(200)
  @ApiOkResponse({ description: 'delivery stored, or the unsigned ping acknowledged' })
  @ApiUnauthorizedResponse({ description: 'X-WC-Webhook-Signature missing or wrong; nothing stored' })
  woocommerce(@Req() req: RawBodyRequest<Request>, @Headers() headers: HeaderMap): Promise<WebhookAck> {
    return this.webhooks.woocommerce(headers, req.rawBody, jsonBody(req));
  }
}

/** The body as the JSON parser read it, only when it was JSON (a form body parses to something else). */
function jsonBody(req: Request): unknown {
  return req.is('application/json') ? (req.body as unknown) : undefined;
}
