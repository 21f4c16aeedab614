import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ExportFileParams, ExportQuery, ExportRangeQuery } from './export.dto';
import { ExportService } from './export.service';

const ORDERS_SUMMARY =
  'Every order created in [from, to) (cancelled and test ones flagged), with currency and time-zone columns';
const DAILY_SUMMARY = 'Orders, revenue and AOV per day of the business zone, from and to inclusive';

@ApiTags('export')
@ApiProduces('text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
@Controller('export')
export class ExportController {
  constructor(private readonly exports: ExportService) {}

  @Get('orders')
  @ApiOperation({ summary: ORDERS_SUMMARY })
  orders(@Query() query: ExportQuery, @Res() res: Response): Promise<void> {
    return this.exports.orders(query, res);
  }

  @Get('orders.:format')
  @ApiOperation({ summary: `${ORDERS_SUMMARY}; the suffix (.csv, .xlsx) picks the format` })
  ordersFile(@Param() file: ExportFileParams, @Query() query: ExportRangeQuery, @Res() res: Response): Promise<void> {
    return this.exports.orders({ ...query, format: file.format }, res);
  }

  @Get('daily')
  @ApiOperation({ summary: DAILY_SUMMARY })
  daily(@Query() query: ExportQuery, @Res() res: Response): Promise<void> {
    return this.exports.daily(query, res);
  }

  @Get('daily.:format')
  @ApiOperation({ summary: `${DAILY_SUMMARY}; the suffix (.csv, .xlsx) picks the format` })
  dailyFile(@Param() file: ExportFileParams, @Query() query: ExportRangeQuery, @Res() res: Response): Promise<void> {
    return this.exports.daily({ ...query, format: file.format }, res);
  }
}
