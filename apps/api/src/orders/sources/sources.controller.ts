import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { SourcesResponse } from '@mt/contracts';
import { SourcesService } from './sources.service';

@ApiTags('sources')
@Controller('sources')
export class SourcesController {
  constructor(private readonly sources: SourcesService) {}

  @Get()
  @ApiOkResponse({ description: 'every order source (webhooks, pollers, imports) with its last sync and last error' })
  list(): Promise<SourcesResponse> {
    return this.sources.list();
  }
}
