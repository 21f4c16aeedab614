import { Module } from '@nestjs/common';
import { Clock } from '../common/clock';
import { SalesModule } from '../sales/sales.module';
import { SpotifyModule } from '../spotify/spotify.module';
import { CatalogueRepository } from './catalogue.repository';
import { CatalogueService } from './catalogue.service';
import { LineRowsRepository } from './line-rows.repository';
import { TitleStatementsRepository } from './title-statements.repository';
import { TitlesController } from './titles.controller';
import { TitlesRepository } from './titles.repository';
import { TitlesRollupsJob } from './titles-rollups.job';
import { TitlesService } from './titles.service';

/**
 * Titles (SPEC §2 "Line items and titles", §3): the catalogue, revenue per title and its rollups. Owns
 * `titles`, `title_names`, `editions`, `edition_identifiers`, `spotify_title_editions`, `order_line_titles`,
 * `refund_line_allocations` and the title rollups; the orders' write side fills them through triggers.
 */
@Module({
  imports: [SalesModule, SpotifyModule],
  controllers: [TitlesController],
  providers: [
    TitlesService,
    TitlesRepository,
    CatalogueRepository,
    CatalogueService,
    LineRowsRepository,
    TitlesRollupsJob,
    TitleStatementsRepository,
    Clock,
  ],
  exports: [TitlesService, CatalogueService, LineRowsRepository],
})
export class TitlesModule {}
