import { ApiProperty } from '@nestjs/swagger';
import { IsNumber, Max, Min, ValidateIf } from 'class-validator';
import type { GoalSettingsRequest } from '@mt/contracts';

export class GoalSettingsDto implements GoalSettingsRequest {
  @ApiProperty({
    description: 'Monthly revenue goal in the base currency; null removes it',
    example: 5000,
    nullable: true,
    type: Number,
  })
  @ValidateIf((_, value) => value !== null)
  @IsNumber(
    { maxDecimalPlaces: 2, allowNaN: false, allowInfinity: false },
    { message: 'monthlyRevenue must be an amount with at most 2 decimals, or null' },
  )
  @Min(0.01)
  @Max(1_000_000_000)
  monthlyRevenue!: number | null;
}
