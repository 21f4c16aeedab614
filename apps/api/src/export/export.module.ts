import { Module } from '@nestjs/common';
import { SalesModule } from '../sales/sales.module';
import { ExportController } from './export.controller';
import { ExportService } from './export.service';
import { ExportSlots } from './export-slots';

/** CSV and XLSX exports of orders and daily figures (SPEC §6), streamed. */
@Module({
  imports: [SalesModule],
  controllers: [ExportController],
  providers: [ExportService, ExportSlots],
})
export class ExportModule {}
