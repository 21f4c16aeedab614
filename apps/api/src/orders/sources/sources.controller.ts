import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { SourcesResponse } from '@mt/contracts';
import { ApiSignedIn } from '../../auth/api-auth';
import { SourcesResponseSchema } from '../orders.responses';
import { SourcesService } from './sources.service';

@ApiTags('sources')
@ApiSignedIn()
@Controller('sources')
export class SourcesController {
  constructor(private readonly sources: SourcesService) {}

  @Get()
  @ApiOkResponse({
    type: SourcesResponseSchema,
    description: 'every order source (webhooks, pollers, imports) with its last sync and last error',
  })
  list(): Promise<SourcesResponse> {
    return this.sources.list();
  }
}
