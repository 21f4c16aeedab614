import { BadRequestException, Body, Controller, HttpCode, Post, UploadedFiles, UseInterceptors } from '@nestjs/common';
import { AnyFilesInterceptor } from '@nestjs/platform-express';
import { ApiBody, ApiConsumes, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { OrderImportResponse } from '@mt/contracts';
import { ApiSignedIn } from '../../auth/api-auth';
import { AdminOnly } from '../../auth/roles.decorator';
import { OrderImportResponseSchema } from '../orders.responses';
import { OrderImportService, UploadedOrderFile } from './order-import.service';

/** Backfill from order exports of Shopify, WooCommerce, Etsy, Amazon and eBay; admins only. */
@ApiTags('import')
@ApiSignedIn()
@Controller('import')
export class OrderImportController {
  constructor(private readonly imports: OrderImportService) {}

  @AdminOnly()
  @Post('orders')
  @HttpCode(200)
  // Size limits come from UPLOAD_MAX_MB through MulterModule (orders.module.ts).
  @UseInterceptors(AnyFilesInterceptor())
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      properties: { files: { type: 'array', items: { type: 'string', format: 'binary' } }, store: { type: 'string' } },
    },
  })
  @ApiOkResponse({
    type: OrderImportResponseSchema,
    description: 'one report per file: platform, rows, inserted, updated, skipped, errors (row, column, message)',
  })
  importOrders(
    @UploadedFiles() files: Array<UploadedOrderFile & { fieldname: string }> | undefined,
    @Body('store') store?: string,
  ): Promise<OrderImportResponse> {
    const uploads = (files ?? []).filter((file) => file.fieldname === 'files' || file.fieldname === 'file');
    if (uploads.length === 0)
      throw new BadRequestException('files: attach one or more export files in the field "files"');
    return this.imports.importFiles(uploads, store);
  }
}
