import { Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { memoryStorage } from 'multer';
import { AppConfig } from '../config/app-config';
import { FxModule } from '../fx/fx.module';
import { OrdersModule } from '../orders/orders.module';
import { ImportsController, MAX_FILES_PER_UPLOAD, UploadController } from './upload.controller';
import { UploadLimitInterceptor } from './upload-limit.interceptor';
import { UploadStatusInterceptor } from './upload-status.interceptor';
import { UploadRepository } from './upload.repository';
import { UploadService } from './upload.service';

@Module({
  imports: [
    FxModule,
    OrdersModule,
    // In memory, bounded by UPLOAD_MAX_MB; parsing then streams from the buffer in 64 KB chunks.
    MulterModule.registerAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        storage: memoryStorage(),
        limits: { fileSize: config.uploadMaxMb * 1024 * 1024, files: MAX_FILES_PER_UPLOAD, fields: 10 },
      }),
    }),
  ],
  controllers: [UploadController, ImportsController],
  providers: [UploadService, UploadRepository, UploadLimitInterceptor, UploadStatusInterceptor],
  exports: [UploadService],
})
export class UploadModule {}
