import {
  BadRequestException,
  Body,
  Controller,
  Get,
  HttpCode,
  Post,
  Put,
  Query,
  Req,
  UploadedFiles,
  UseInterceptors,
} from '@nestjs/common';
import { FilesInterceptor } from '@nestjs/platform-express';
import {
  ApiBody,
  ApiConsumes,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import {
  UPLOAD_FILE_TYPES,
  type ImportHistoryResponse,
  type OrderImportResponse,
  type UploadAliasesResponse,
  type UploadHistoryResponse,
  type UploadResponse,
} from '@mt/contracts';
import type { Request } from 'express';
import type { AuthenticatedRequest } from '../auth/principal';
import { ApiSignedIn } from '../auth/api-auth';
import { AdminOnly } from '../auth/roles.decorator';
import { UploadLimitInterceptor } from './upload-limit.interceptor';
import { UploadStatusInterceptor } from './upload-status.interceptor';
import { OrderImportResponseSchema } from '../orders/orders.responses';
import { ImportHistoryQueryDto, UploadAliasesDto, UploadBodyDto, UploadHistoryQueryDto } from './upload.dto';
import {
  ImportHistoryResponseSchema,
  UploadAliasesResponseSchema,
  UploadHistoryResponseSchema,
  UploadResponseSchema,
} from './upload.responses';
import { UploadService } from './upload.service';

export const MAX_FILES_PER_UPLOAD = 20;

@ApiTags('upload')
@ApiSignedIn()
@AdminOnly()
@Controller('upload')
export class UploadController {
  constructor(private readonly uploads: UploadService) {}

  /**
   * The one intake: order exports and API answers of every platform, Spotify reports and exchange-rate
   * files (CSV, XLSX, JSON, XML), several per request, each recognised from its content.
   */
  @Post()
  @HttpCode(200)
  @UseInterceptors(UploadLimitInterceptor, UploadStatusInterceptor, FilesInterceptor('files', MAX_FILES_PER_UPLOAD))
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      properties: {
        files: { type: 'array', items: { type: 'string', format: 'binary' } },
        type: { type: 'string', enum: [...UPLOAD_FILE_TYPES] },
        store: { type: 'string' },
      },
    },
  })
  @ApiOkResponse({
    type: UploadResponseSchema,
    description:
      'At least one file was imported. One result per file, in upload order: what it was recognised as, imported or rejected with row and column of every error',
  })
  @ApiUnprocessableEntityResponse({
    type: UploadResponseSchema,
    description: 'Every file was rejected (nothing written): the same per-file results, each naming row and column',
  })
  @ApiPayloadTooLargeResponse({ description: 'Request over UPLOAD_MAX_MB' })
  upload(
    @UploadedFiles() files: Express.Multer.File[] | undefined,
    @Body() body: UploadBodyDto,
    @Req() request: Request & AuthenticatedRequest,
  ): Promise<UploadResponse> {
    return this.uploads.importFiles(received(files), {
      type: body.type ?? null,
      userId: request.user?.id ?? null,
      store: body.store ?? null,
    });
  }

  @Get('history')
  @ApiOperation({ summary: 'Upload log (kept for existing clients; GET /api/imports is the import history)' })
  @ApiOkResponse({
    type: UploadHistoryResponseSchema,
    description: 'Who uploaded which file when, its hash and the outcome, newest first',
  })
  history(@Query() query: UploadHistoryQueryDto): Promise<UploadHistoryResponse> {
    return this.uploads.history(query.limit);
  }

  @Get('aliases')
  @ApiOkResponse({ type: UploadAliasesResponseSchema, description: 'Builtin and admin-defined header aliases' })
  aliases(): Promise<UploadAliasesResponse> {
    return this.uploads.aliases();
  }

  /** Replaces the admin-defined header aliases (builtin ones stay; listing one changes it). */
  @Put('aliases')
  @ApiOkResponse({ type: UploadAliasesResponseSchema, description: 'Every alias after the change' })
  replaceAliases(@Body() body: UploadAliasesDto): Promise<UploadAliasesResponse> {
    return this.uploads.replaceAliases(body);
  }
}

/** `GET /api/imports` and the order-import route of before the one intake. */
@ApiTags('upload')
@ApiSignedIn()
@AdminOnly()
@Controller()
export class ImportsController {
  constructor(private readonly uploads: UploadService) {}

  @Get('imports')
  @ApiOkResponse({
    type: ImportHistoryResponseSchema,
    description: 'Every file that came through the intake, orders, Spotify and rates alike, newest first',
  })
  imports(@Query() query: ImportHistoryQueryDto): Promise<ImportHistoryResponse> {
    return this.uploads.imports(query.limit);
  }

  /** The same intake as `POST /api/upload`, answering in the order-import shape its scripts expect. */
  @Post('import/orders')
  @HttpCode(200)
  @UseInterceptors(UploadLimitInterceptor, UploadStatusInterceptor, FilesInterceptor('files', MAX_FILES_PER_UPLOAD))
  @ApiOperation({ summary: 'Order exports (an alias of POST /api/upload, in the shape of before)' })
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
  @ApiUnprocessableEntityResponse({
    type: OrderImportResponseSchema,
    description: 'Every file had errors (nothing written): the same reports',
  })
  async importOrders(
    @UploadedFiles() files: Express.Multer.File[] | undefined,
    @Body() body: UploadBodyDto,
    @Req() request: Request & AuthenticatedRequest,
  ): Promise<OrderImportResponse> {
    if (!files?.length) throw new BadRequestException('files: attach one or more export files in the field "files"');
    const { files: results } = await this.uploads.importFiles(received(files), {
      userId: request.user?.id ?? null,
      store: body.store ?? null,
    });
    return {
      files: results.map((result) => ({
        file: result.name,
        platform: result.platform,
        rows: result.rows,
        inserted: result.inserted,
        updated: result.updated,
        skipped: result.skipped,
        errors: result.errors.map(({ row, column, message }) => ({ row: row ?? 0, column, message })),
      })),
    };
  }
}

function received(files: Express.Multer.File[] | undefined) {
  return (files ?? []).map((file) => ({ name: file.originalname, size: file.size, path: file.path }));
}
