import { ApiProperty } from '@nestjs/swagger';
import { PLATFORMS, type CountedStatusesUpdate, type Platform } from '@mt/contracts';
import { ArrayMaxSize, IsArray, IsIn, IsString } from 'class-validator';

/** The statuses themselves are checked by CountedStatusesService, which names the one it does not know. */
export class CountedStatusesUpdateDto implements CountedStatusesUpdate {
  @ApiProperty({ enum: PLATFORMS, example: 'woocommerce' })
  @IsIn(PLATFORMS, { message: `platform must be one of ${PLATFORMS.join(', ')}` })
  platform!: Platform;

  @ApiProperty({
    type: [String],
    description: "the platform's statuses that do not count, in its own words; every other status counts",
    example: ['pending', 'failed', 'cancelled', 'trash'],
  })
  @IsArray({ message: 'notCounted must be a list of statuses' })
  @ArrayMaxSize(50, { message: 'notCounted can list at most 50 statuses' })
  @IsString({ each: true, message: 'notCounted must list statuses as text' })
  notCounted!: string[];
}
