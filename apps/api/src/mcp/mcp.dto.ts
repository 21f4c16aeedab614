import { ApiProperty } from '@nestjs/swagger';
import { IsBase64, IsNotEmpty, IsString, Length } from 'class-validator';
import { IsId, MAX_ID } from '../common/validation';
import { TitleQuery } from '../titles/titles.dto';
import { UploadBodyDto } from '../upload/upload.dto';

/**
 * A file handed over by an assistant: MCP carries JSON, so the bytes come base64-encoded. `type` is the
 * upload form's own field (UploadBodyDto); the file then goes through the same intake as POST /api/upload.
 */
export class McpImportFileInput extends UploadBodyDto {
  @ApiProperty({ description: 'The file name with its extension (.csv or .xlsx)', example: 'spotify-weekly.csv' })
  @IsString()
  @Length(1, 255)
  name!: string;

  @ApiProperty({ description: 'The whole file, base64-encoded' })
  @IsNotEmpty()
  @IsBase64()
  contentBase64!: string;
}

/** GET /api/titles/:id takes its id in the path; a tool takes it beside the range. */
export class McpTitleInput extends TitleQuery {
  @ApiProperty({ description: `The title's id (from titles_top or titles_catalogue), 1 to ${MAX_ID}`, example: '1' })
  @IsId()
  id!: string;
}
