import { ApiProperty } from '@nestjs/swagger';
import { PLATFORMS, type Platform } from '@mt/contracts';
import { IsIn, IsString, Length } from 'class-validator';

export class FindOrdersQuery {
  @ApiProperty({ enum: PLATFORMS, example: 'shopify' })
  @IsIn(PLATFORMS, { message: `platform must be one of ${PLATFORMS.join(', ')}` })
  platform!: Platform;

  @ApiProperty({ description: 'the order number ("#1047" or "1047") or the platform\'s order id', example: '1047' })
  @IsString({ message: 'ref must be an order number or id' })
  @Length(1, 100, { message: 'ref must be an order number or id of 1 to 100 characters' })
  ref!: string;
}
