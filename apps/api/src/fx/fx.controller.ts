import { Body, Controller, Get, HttpCode, Post, Query, Req } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FxRatesResponse, FxRatesStoredResponse, FxRefreshResponse, FxStatusResponse } from '@mt/contracts';
import type { AuthenticatedRequest } from '../auth/principal';
import { ApiSignedIn } from '../auth/api-auth';
import { AdminOnly } from '../auth/roles.decorator';
import { FxRatesDto, FxRatesQueryDto } from './fx.dto';
import {
  FxRatesResponseSchema,
  FxRatesStoredResponseSchema,
  FxRefreshResponseSchema,
  FxStatusResponseSchema,
} from './fx.responses';
import { FxService } from './fx.service';

@ApiTags('fx')
@ApiSignedIn()
@Controller('fx')
export class FxController {
  constructor(private readonly fx: FxService) {}

  @Get('status')
  @ApiOperation({
    summary: 'Where rates come from, each currency in use with its last rate day and what waits for a rate',
  })
  @ApiOkResponse({ type: FxStatusResponseSchema })
  status(): Promise<FxStatusResponse> {
    return this.fx.status();
  }

  @Get('rates')
  @ApiOperation({ summary: 'Stored rates into the base currency, newest first (at most 1,000)' })
  @ApiOkResponse({ type: FxRatesResponseSchema })
  rates(@Query() query: FxRatesQueryDto): Promise<FxRatesResponse> {
    return this.fx.rates({ currency: query.currency?.toUpperCase(), from: query.from, to: query.to });
  }

  @Post('rates')
  @HttpCode(200)
  @AdminOnly()
  @ApiOperation({ summary: 'Add or correct rates (admin); what waited for them is converted at once' })
  @ApiOkResponse({ type: FxRatesStoredResponseSchema })
  @ApiBadRequestResponse({ description: 'errors: [{ row, column, message }]; nothing stored' })
  addRates(@Body() body: FxRatesDto, @Req() request: AuthenticatedRequest): Promise<FxRatesStoredResponse> {
    return this.fx.addRates(body, request.user?.id ?? null);
  }

  @Post('refresh')
  @HttpCode(200)
  @AdminOnly()
  @ApiOperation({ summary: 'Fetch the ECB rates now (admin)' })
  @ApiOkResponse({ type: FxRefreshResponseSchema })
  refresh(): Promise<FxRefreshResponse> {
    return this.fx.refresh();
  }
}
