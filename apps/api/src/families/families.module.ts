import { Module } from '@nestjs/common';
import { clockProvider } from '../shared/clock.provider';
import { FamiliesController } from './families.controller';
import { FamilyCommandsService } from './family-commands.service';
import { SubProjectCommandsService } from '../sub-projects/sub-project-commands.service';
import { SubProjectsController } from '../sub-projects/sub-projects.controller';

/** Family streams and sub-project budget streams: payments cross both, so they share a module. */
@Module({
  controllers: [FamiliesController, SubProjectsController],
  providers: [FamilyCommandsService, SubProjectCommandsService, clockProvider],
  exports: [FamilyCommandsService, SubProjectCommandsService],
})
export class FamiliesModule {}
