import { Body, Controller, Get, HttpCode, Post, Put, Query, Req, UploadedFiles, UseInterceptors } from '@nestjs/common';
import { FilesInterceptor } from '@nestjs/platform-express';
import { ApiBody, ApiConsumes, ApiOkResponse, ApiPayloadTooLargeResponse, ApiTags } from '@nestjs/swagger';
import {
  UPLOAD_FILE_TYPES,
  type UploadAliasesResponse,
  type UploadHistoryResponse,
  type UploadResponse,
} from '@mt/contracts';
import type { Request } from 'express';
import type { AuthenticatedRequest } from '../auth/principal';
import { ApiSignedIn } from '../auth/api-auth';
import { AdminOnly } from '../auth/roles.decorator';
import { UploadLimitInterceptor } from './upload-limit.interceptor';
import { UploadAliasesDto, UploadBodyDto, UploadHistoryQueryDto } from './upload.dto';
import { UploadAliasesResponseSchema, UploadHistoryResponseSchema, UploadResponseSchema } from './upload.responses';
import { UploadService } from './upload.service';

export const MAX_FILES_PER_UPLOAD = 20;

@ApiTags('upload')
@ApiSignedIn()
@AdminOnly()
@Controller('upload')
export class UploadController {
  constructor(private readonly uploads: UploadService) {}

  /** Spotify weekly/monthly stats and revenue reports (CSV or XLSX) and exchange-rate files, several per request. */
  @Post()
  @HttpCode(200)
  @UseInterceptors(UploadLimitInterceptor, FilesInterceptor('files', MAX_FILES_PER_UPLOAD))
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      properties: {
        files: { type: 'array', items: { type: 'string', format: 'binary' } },
        type: { type: 'string', enum: [...UPLOAD_FILE_TYPES] },
      },
    },
  })
  @ApiOkResponse({
    type: UploadResponseSchema,
    description: 'One result per file: imported or rejected with row and column of every error',
  })
  @ApiPayloadTooLargeResponse({ description: 'Request over UPLOAD_MAX_MB' })
  upload(
    @UploadedFiles() files: Express.Multer.File[] | undefined,
    @Body() body: UploadBodyDto,
    @Req() request: Request & AuthenticatedRequest,
  ): Promise<UploadResponse> {
    const userId = request.user?.id ?? null;
    return this.uploads.importFiles(
      (files ?? []).map((file) => ({ name: file.originalname, size: file.size, buffer: file.buffer })),
      { type: body.type ?? null, userId },
    );
  }

  @Get('history')
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
