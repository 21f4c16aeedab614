import { Module } from '@nestjs/common';
import { Clock } from '../common/clock';
import { ComparisonModule } from '../comparison/comparison.module';
import { FirstScreenController } from './first-screen.controller';
import { FirstScreenService } from './first-screen.service';

/** One read for the dashboard's first screen (a phone's first load), from the comparison module's answers. */
@Module({
  imports: [ComparisonModule],
  controllers: [FirstScreenController],
  providers: [FirstScreenService, Clock],
})
export class FirstScreenModule {}
