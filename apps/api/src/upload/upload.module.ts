import { Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { diskStorage } from 'multer';
import { tmpdir } from 'node:os';
import { AppConfig } from '../config/app-config';
import { FxModule } from '../fx/fx.module';
import { OrdersModule } from '../orders/orders.module';
import { SpotifyModule } from '../spotify/spotify.module';
import { ImportsController, MAX_FILES_PER_UPLOAD, UploadController } from './upload.controller';
import { UploadLimitInterceptor } from './upload-limit.interceptor';
import { UploadStatusInterceptor } from './upload-status.interceptor';
import { UploadRepository } from './upload.repository';
import { UploadService } from './upload.service';

@Module({
  imports: [
    FxModule,
    OrdersModule,
    SpotifyModule,
    // On disk, not in memory: a file of a million rows is read from there as a stream (SPEC §9), and
    // removed once its request is answered (UploadLimitInterceptor).
    MulterModule.registerAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        storage: diskStorage({ destination: tmpdir() }),
        limits: { fileSize: config.uploadMaxMb * 1024 * 1024, files: MAX_FILES_PER_UPLOAD, fields: 10 },
      }),
    }),
  ],
  controllers: [UploadController, ImportsController],
  providers: [UploadService, UploadRepository, UploadLimitInterceptor, UploadStatusInterceptor],
  exports: [UploadService],
})
export class UploadModule {}
