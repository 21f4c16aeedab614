import { Module } from '@nestjs/common';
import { Clock } from '../common/clock';
import { SpotifyController, SpotifySettingsController } from './spotify.controller';
import { SpotifyProjectionJob } from './spotify-projection.job';
import { SpotifyRepository } from './spotify.repository';
import { SpotifyService } from './spotify.service';

@Module({
  controllers: [SpotifyController, SpotifySettingsController],
  providers: [SpotifyService, SpotifyRepository, SpotifyProjectionJob, Clock],
  exports: [SpotifyService],
})
export class SpotifyModule {}
