import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ExportQuery } from './export.dto';
import { ExportService } from './export.service';

@ApiTags('export')
@Controller('export')
export class ExportController {
  constructor(private readonly exports: ExportService) {}

  @Get('orders')
  @ApiProduces('text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  @ApiOperation({
    summary: 'Every order created in [from, to) (cancelled and test ones flagged), with currency and time-zone columns',
  })
  orders(@Query() query: ExportQuery, @Res() res: Response): Promise<void> {
    return this.exports.orders(query, res);
  }

  @Get('daily')
  @ApiProduces('text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  @ApiOperation({ summary: 'Orders, revenue and AOV per day of the business zone, from and to inclusive' })
  daily(@Query() query: ExportQuery, @Res() res: Response): Promise<void> {
    return this.exports.daily(query, res);
  }
}
