import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AlertCheckResponse, AlertEventsResponse, AlertRule } from '@mt/contracts';
import { Clock } from '../common/clock';
import { ApiSignedIn } from '../auth/api-auth';
import { AdminOnly } from '../auth/roles.decorator';
import { IdParamDto } from '../common/validation';
import { AlertCheckQuery, AlertEventsQuery, AlertRuleDto } from './alerts.dto';
import { AlertCheckResponseSchema, AlertEventsResponseSchema, AlertRuleSchema } from './alerts.responses';
import { AlertsService } from './alerts.service';

@ApiTags('alerts')
@ApiSignedIn()
@Controller('alerts')
export class AlertsController {
  constructor(
    private readonly alerts: AlertsService,
    private readonly clock: Clock,
  ) {}

  @Get()
  @AdminOnly()
  @ApiOperation({ summary: 'Alert rules (admin)' })
  @ApiOkResponse({ type: [AlertRuleSchema] })
  list(): Promise<AlertRule[]> {
    return this.alerts.listRules();
  }

  @Get('events')
  @ApiOperation({ summary: 'Alerts fired, newest first, with their e-mail delivery status' })
  @ApiOkResponse({ type: AlertEventsResponseSchema })
  events(@Query() query: AlertEventsQuery): Promise<AlertEventsResponse> {
    return this.alerts.events(query.limit);
  }

  @Post('check')
  @HttpCode(200)
  @AdminOnly()
  @ApiOperation({ summary: 'Run the checks now (they also run every minute); returns what fired' })
  @ApiOkResponse({ type: AlertCheckResponseSchema })
  check(@Query() query: AlertCheckQuery): Promise<AlertCheckResponse> {
    return this.alerts.checkNow(this.clock.now(query.now));
  }

  @Get(':id')
  @AdminOnly()
  @ApiOperation({ summary: 'One alert rule (admin)' })
  @ApiOkResponse({ type: AlertRuleSchema })
  get(@Param() params: IdParamDto): Promise<AlertRule> {
    return this.alerts.getRule(Number(params.id));
  }

  @Post()
  @AdminOnly()
  @ApiOperation({ summary: 'Create an alert rule (admin)' })
  @ApiCreatedResponse({ type: AlertRuleSchema })
  create(@Body() body: AlertRuleDto): Promise<AlertRule> {
    return this.alerts.createRule(body);
  }

  @Put(':id')
  @AdminOnly()
  @ApiOperation({ summary: 'Replace an alert rule (admin)' })
  @ApiOkResponse({ type: AlertRuleSchema })
  update(@Param() params: IdParamDto, @Body() body: AlertRuleDto): Promise<AlertRule> {
    return this.alerts.updateRule(Number(params.id), body);
  }

  @Delete(':id')
  @HttpCode(204)
  @AdminOnly()
  @ApiOperation({ summary: 'Delete an alert rule and its history (admin)' })
  @ApiNoContentResponse({ description: 'deleted' })
  remove(@Param() params: IdParamDto): Promise<void> {
    return this.alerts.deleteRule(Number(params.id));
  }
}
