import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
} from 'class-validator';
import {
  PLATFORMS,
  type EditionIdentifier,
  type IdentifierKind,
  type MergeTitlesRequest,
  type MoveIdentifierRequest,
  type Platform,
  type RenameTitleRequest,
  type SplitTitleRequest,
  type TitleSort,
} from '@mt/contracts';
import { RangeQuery } from '../comparison/comparison.dto';
import { IsCount, MAX_ID } from '../common/validation';
import { literals } from '../common/api-schema';

export class TitlesQuery extends RangeQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 10, description: 'How many titles to list' })
  @IsCount(1, 100)
  limit: number = 10;

  @ApiPropertyOptional({
    enum: ['revenue', 'units'],
    default: 'revenue',
    description: 'Ranked by this, then by the other',
  })
  @IsIn(['revenue', 'units'], { message: 'sort must be revenue or units' })
  sort: TitleSort = 'revenue';
}

export class TitleQuery extends RangeQuery {}

export class CatalogueQuery {
  @ApiPropertyOptional({ description: 'Part of a name, a spelling or an identifier (ISBN, SKU, listing id)' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  search?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 200 })
  @IsCount(1, 500)
  limit: number = 200;
}

/** `?dryRun=true`: answer what the change would do, and change nothing. */
export class DryRunQuery {
  @ApiPropertyOptional({ type: Boolean, default: false, description: 'true: preview the change, store nothing' })
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsIn([true, false], { message: 'dryRun must be true or false' })
  dryRun: boolean = false;
}

const IDS = (name: string, max: number) => [
  IsArray({ message: `${name} must be a list of ids` }),
  ArrayMinSize(1, { message: `${name} must name at least one` }),
  ArrayMaxSize(max, { message: `${name} can name at most ${max}` }),
  IsInt({ each: true, message: `${name} must hold whole numbers (ids)` }),
  Min(1, { each: true, message: `${name} must hold ids of 1 or more` }),
  Max(MAX_ID, { each: true, message: `${name} must hold ids up to ${MAX_ID}` }),
];

function apply(decorators: PropertyDecorator[]): PropertyDecorator {
  return (target, key) => decorators.forEach((decorator) => decorator(target, key));
}

const NAME = [
  IsString({ message: 'title must be text' }),
  MinLength(1, { message: 'title must not be empty' }),
  MaxLength(300, { message: 'title must be at most 300 characters' }),
];

export class RenameTitleDto implements RenameTitleRequest {
  @ApiProperty({ example: 'The Ink Road' })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @apply(NAME)
  title!: string;
}

export class MergeTitlesDto implements MergeTitlesRequest {
  @ApiProperty({ type: [Number], example: [7, 9], description: 'The titles merged into this one (they are removed)' })
  @apply(IDS('titleIds', 100))
  titleIds!: number[];
}

export class SplitTitleDto implements SplitTitleRequest {
  @ApiProperty({ type: [Number], example: [12], description: 'The editions that become a title of their own' })
  @apply(IDS('editionIds', 100))
  editionIds!: number[];

  @ApiPropertyOptional({ description: "The new title's name; by default the title's name and the format" })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @apply(NAME)
  title?: string;
}

const KINDS = literals<IdentifierKind>({ isbn: true, sku: true, listing: true, title: true });

export class IdentifierDto implements EditionIdentifier {
  @ApiProperty({ enum: KINDS })
  @IsIn(KINDS, { message: `kind must be one of ${KINDS.join(', ')}` })
  kind!: IdentifierKind;

  @ApiProperty({
    enum: [...PLATFORMS, 'spotify'],
    nullable: true,
    description:
      'null for an ISBN or SKU (they hold on every platform); the platform of a listing id; spotify for a Spotify title key',
  })
  @ValidateIf((_, value) => value !== null)
  @IsIn([...PLATFORMS, 'spotify'], {
    message: `platform must be null or one of ${[...PLATFORMS, 'spotify'].join(', ')}`,
  })
  platform!: Platform | 'spotify' | null;

  @ApiProperty({ example: '9781000000011' })
  @IsString({ message: 'value must be text' })
  @MinLength(1, { message: 'value must not be empty' })
  @MaxLength(200, { message: 'value must be at most 200 characters' })
  value!: string;
}

export class MoveIdentifierDto extends IdentifierDto implements MoveIdentifierRequest {
  @ApiProperty({ example: 4, description: 'The edition the identifier (and the lines it leads to) moves to' })
  @IsInt({ message: 'editionId must be a whole number (an id)' })
  @Min(1, { message: 'editionId must be an id of 1 or more' })
  @Max(MAX_ID, { message: `editionId must be an id up to ${MAX_ID}` })
  editionId!: number;
}
