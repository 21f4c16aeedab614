import { Module } from '@nestjs/common';
import { SalesModule } from '../sales/sales.module';
import { TitlesModule } from '../titles/titles.module';
import { ExportController } from './export.controller';
import { ExportService } from './export.service';
import { ExportSlots } from './export-slots';

/** CSV and XLSX exports of orders, their lines and daily figures (SPEC §6), streamed. */
@Module({
  imports: [SalesModule, TitlesModule],
  controllers: [ExportController],
  providers: [ExportService, ExportSlots],
})
export class ExportModule {}
