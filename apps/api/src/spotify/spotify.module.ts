import { Module } from '@nestjs/common';
import { Clock } from '../common/clock';
import { SpotifyController, SpotifySettingsController } from './spotify.controller';
import { SpotifyProjectionJob } from './spotify-projection.job';
import { SpotifyRepository } from './spotify.repository';
import { SpotifyService } from './spotify.service';
import { StatementsRepository } from './statements.repository';
import { StatementsService } from './statements.service';

@Module({
  controllers: [SpotifyController, SpotifySettingsController],
  providers: [SpotifyService, SpotifyRepository, SpotifyProjectionJob, StatementsService, StatementsRepository, Clock],
  exports: [SpotifyService, StatementsService],
})
export class SpotifyModule {}
