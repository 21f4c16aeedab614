import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiConflictResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { CatalogueChangeResponse, CatalogueResponse, TitleDetailResponse, TitlesResponse } from '@mt/contracts';
import { ApiSignedIn } from '../auth/api-auth';
import { AdminOnly } from '../auth/roles.decorator';
import { Clock } from '../common/clock';
import { IdParamDto } from '../common/validation';
import { CatalogueService } from './catalogue.service';
import {
  CatalogueQuery,
  DryRunQuery,
  IdentifierDto,
  MergeTitlesDto,
  MoveIdentifierDto,
  RenameTitleDto,
  SplitTitleDto,
  TitleQuery,
  TitlesQuery,
} from './titles.dto';
import { CatalogueChangeSchema, CatalogueSchema, TitleDetailSchema, TitlesSchema } from './titles.responses';
import { TitlesService } from './titles.service';

const HISTORY = 'Every past window follows; ?dryRun=true answers what it would do and stores nothing.';

@ApiTags('titles')
@ApiSignedIn()
@Controller('titles')
export class TitlesController {
  constructor(
    private readonly titles: TitlesService,
    private readonly catalogue: CatalogueService,
    private readonly clock: Clock,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'Top titles of a range with units, revenue, change and platform split, vs the range before',
  })
  @ApiOkResponse({ type: TitlesSchema })
  list(@Query() query: TitlesQuery): Promise<TitlesResponse> {
    return this.titles.titles(this.clock.now(query.now), query.from, query.to, query.limit, query.sort);
  }

  @Get('catalogue')
  @ApiOperation({ summary: 'The catalogue: titles with their editions and identifiers, searchable' })
  @ApiOkResponse({ type: CatalogueSchema })
  search(@Query() query: CatalogueQuery): Promise<CatalogueResponse> {
    return this.catalogue.search(query.search, query.limit);
  }

  @Post('identifiers/move')
  @HttpCode(200)
  @AdminOnly()
  @ApiOperation({ summary: `Point an identifier at another edition; the lines it leads to follow (admin). ${HISTORY}` })
  @ApiOkResponse({ type: CatalogueChangeSchema })
  moveIdentifier(@Body() body: MoveIdentifierDto, @Query() query: DryRunQuery): Promise<CatalogueChangeResponse> {
    return this.catalogue.moveIdentifier(body, query.dryRun);
  }

  @Post('editions/:id/identifiers')
  @HttpCode(200)
  @AdminOnly()
  @ApiOperation({ summary: `Give an edition an identifier that no edition has (admin). ${HISTORY}` })
  @ApiOkResponse({ type: CatalogueChangeSchema })
  @ApiConflictResponse({ description: 'the identifier leads to another edition: move it instead' })
  addIdentifier(
    @Param() params: IdParamDto,
    @Body() body: IdentifierDto,
    @Query() query: DryRunQuery,
  ): Promise<CatalogueChangeResponse> {
    return this.catalogue.addIdentifier(params.id, body, query.dryRun);
  }

  @Get(':id')
  @ApiOperation({ summary: "A title's daily series, platforms, countries and Spotify months over a range" })
  @ApiOkResponse({ type: TitleDetailSchema })
  detail(@Param() params: IdParamDto, @Query() query: TitleQuery): Promise<TitleDetailResponse> {
    return this.titles.title(this.clock.now(query.now), params.id, query.from, query.to);
  }

  @Patch(':id')
  @AdminOnly()
  @ApiOperation({ summary: `Rename a title (admin). ${HISTORY}` })
  @ApiOkResponse({ type: CatalogueChangeSchema })
  rename(
    @Param() params: IdParamDto,
    @Body() body: RenameTitleDto,
    @Query() query: DryRunQuery,
  ): Promise<CatalogueChangeResponse> {
    return this.catalogue.rename(params.id, body.title, query.dryRun);
  }

  @Post(':id/merge')
  @HttpCode(200)
  @AdminOnly()
  @ApiOperation({
    summary: `Merge other titles into this one: their editions and spellings move here (admin). ${HISTORY}`,
  })
  @ApiOkResponse({ type: CatalogueChangeSchema })
  merge(
    @Param() params: IdParamDto,
    @Body() body: MergeTitlesDto,
    @Query() query: DryRunQuery,
  ): Promise<CatalogueChangeResponse> {
    return this.catalogue.merge(params.id, body.titleIds, query.dryRun);
  }

  @Post(':id/split')
  @HttpCode(200)
  @AdminOnly()
  @ApiOperation({ summary: `Split editions off into a new title (admin). ${HISTORY}` })
  @ApiOkResponse({ type: CatalogueChangeSchema })
  split(
    @Param() params: IdParamDto,
    @Body() body: SplitTitleDto,
    @Query() query: DryRunQuery,
  ): Promise<CatalogueChangeResponse> {
    return this.catalogue.split(params.id, body.editionIds, body.title, query.dryRun);
  }
}
