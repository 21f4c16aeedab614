import { Body, Controller, Delete, Get, HttpCode, Param, ParseIntPipe, Post, Put, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AlertCheckResponse, AlertEventsResponse, AlertRule } from '@mt/contracts';
import { Clock } from '../common/clock';
import { AdminOnly } from '../auth/roles.decorator';
import { AlertCheckQuery, AlertEventsQuery, AlertRuleDto } from './alerts.dto';
import { AlertsService } from './alerts.service';

@ApiTags('alerts')
@Controller('alerts')
export class AlertsController {
  constructor(
    private readonly alerts: AlertsService,
    private readonly clock: Clock,
  ) {}

  @Get()
  @AdminOnly()
  @ApiOperation({ summary: 'Alert rules (admin)' })
  list(): Promise<AlertRule[]> {
    return this.alerts.listRules();
  }

  @Get('events')
  @ApiOperation({ summary: 'Alerts fired, newest first, with their e-mail delivery status' })
  @ApiOkResponse({
    description:
      '{ events: [{ id, ruleId, kind, ruleName, periodKey, firedAt, subject, body, delivery, deliveryError }] }',
  })
  events(@Query() query: AlertEventsQuery): Promise<AlertEventsResponse> {
    return this.alerts.events(query.limit);
  }

  @Post('check')
  @HttpCode(200)
  @AdminOnly()
  @ApiOperation({ summary: 'Run the checks now (they also run every minute); returns what fired' })
  check(@Query() query: AlertCheckQuery): Promise<AlertCheckResponse> {
    return this.alerts.checkNow(this.clock.now(query.now));
  }

  @Get(':id')
  @AdminOnly()
  @ApiOperation({ summary: 'One alert rule (admin)' })
  get(@Param('id', ParseIntPipe) id: number): Promise<AlertRule> {
    return this.alerts.getRule(id);
  }

  @Post()
  @AdminOnly()
  @ApiOperation({ summary: 'Create an alert rule (admin)' })
  create(@Body() body: AlertRuleDto): Promise<AlertRule> {
    return this.alerts.createRule(body);
  }

  @Put(':id')
  @AdminOnly()
  @ApiOperation({ summary: 'Replace an alert rule (admin)' })
  update(@Param('id', ParseIntPipe) id: number, @Body() body: AlertRuleDto): Promise<AlertRule> {
    return this.alerts.updateRule(id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  @AdminOnly()
  @ApiOperation({ summary: 'Delete an alert rule and its history (admin)' })
  remove(@Param('id', ParseIntPipe) id: number): Promise<void> {
    return this.alerts.deleteRule(id);
  }
}
