import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import type { Response } from 'express';
import { ApiSignedIn } from '../auth/api-auth';
import { principal } from '../auth/auth.controller';
import type { AuthenticatedRequest } from '../auth/principal';
import { ExportFileParams, ExportQuery, ExportRangeQuery } from './export.dto';
import { ExportService } from './export.service';

const ORDERS_SUMMARY =
  'Every order created in [from, to) (cancelled and test ones flagged), with currency and time-zone columns';
const LINES_SUMMARY =
  "Every line of the orders created in [from, to): its catalogue title, the platform's figures and its share of the order's revenue";
const DAILY_SUMMARY = 'Orders, revenue and AOV per day of the business zone, from and to inclusive';
/** CSV or XLSX (see @ApiProduces), as an attachment. */
const ApiFileResponse = () =>
  ApiOkResponse({ description: 'the file, as an attachment', schema: { type: 'string', format: 'binary' } });

@ApiTags('export')
@ApiSignedIn()
@ApiTooManyRequestsResponse({
  description: 'too many exports running, yours (EXPORTS_PER_USER) or in all (EXPORTS_MAX)',
})
@ApiProduces('text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
@Controller('export')
export class ExportController {
  constructor(private readonly exports: ExportService) {}

  @Get('orders')
  @ApiOperation({ summary: ORDERS_SUMMARY })
  @ApiFileResponse()
  orders(@Query() query: ExportQuery, @Req() req: AuthenticatedRequest, @Res() res: Response): Promise<void> {
    return this.exports.orders(query, res, principal(req).id);
  }

  @Get('orders.:format')
  @ApiOperation({ summary: `${ORDERS_SUMMARY}; the suffix (.csv, .xlsx) picks the format` })
  @ApiFileResponse()
  ordersFile(
    @Param() file: ExportFileParams,
    @Query() query: ExportRangeQuery,
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
  ): Promise<void> {
    return this.exports.orders({ ...query, format: file.format }, res, principal(req).id);
  }

  @Get('lines')
  @ApiOperation({ summary: LINES_SUMMARY })
  @ApiFileResponse()
  lines(@Query() query: ExportQuery, @Req() req: AuthenticatedRequest, @Res() res: Response): Promise<void> {
    return this.exports.lines(query, res, principal(req).id);
  }

  @Get('lines.:format')
  @ApiOperation({ summary: `${LINES_SUMMARY}; the suffix (.csv, .xlsx) picks the format` })
  @ApiFileResponse()
  linesFile(
    @Param() file: ExportFileParams,
    @Query() query: ExportRangeQuery,
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
  ): Promise<void> {
    return this.exports.lines({ ...query, format: file.format }, res, principal(req).id);
  }

  @Get('daily')
  @ApiOperation({ summary: DAILY_SUMMARY })
  @ApiFileResponse()
  daily(@Query() query: ExportQuery, @Res() res: Response): Promise<void> {
    return this.exports.daily(query, res);
  }

  @Get('daily.:format')
  @ApiOperation({ summary: `${DAILY_SUMMARY}; the suffix (.csv, .xlsx) picks the format` })
  @ApiFileResponse()
  dailyFile(@Param() file: ExportFileParams, @Query() query: ExportRangeQuery, @Res() res: Response): Promise<void> {
    return this.exports.daily({ ...query, format: file.format }, res);
  }
}
