import { Module } from '@nestjs/common';
import { ComparisonRepository } from '../comparison/comparison.repository';
import { ExportController } from './export.controller';
import { ExportRepository } from './export.repository';
import { ExportService } from './export.service';

/** CSV and XLSX exports of orders and daily figures (SPEC §6), streamed. */
@Module({
  controllers: [ExportController],
  providers: [ExportService, ExportRepository, ComparisonRepository],
})
export class ExportModule {}
