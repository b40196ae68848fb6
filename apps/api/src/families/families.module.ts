import { Module } from '@nestjs/common';
import { clockProvider } from '../shared/clock.provider';
import { FamiliesController } from './families.controller';
import { FamilyViewController } from './family-view.controller';
import { FamilyPlanController } from './family-plan.controller';
import { AppealsController } from './appeals.controller';
import { FamilySearchController } from './family-search.controller';
import { FamilyCommandsService } from './family-commands.service';
import { SubProjectCommandsService } from '../sub-projects/sub-project-commands.service';
import { SubProjectQueries } from '../sub-projects/sub-project-queries';
import { SubProjectsController } from '../sub-projects/sub-projects.controller';
import { RulesModule } from '../rules/rules.module';

/** Family streams and sub-project budget streams: payments cross both, so they share a module. */
@Module({
  imports: [RulesModule],
  controllers: [FamiliesController, FamilySearchController, FamilyViewController, FamilyPlanController, AppealsController, SubProjectsController],
  providers: [FamilyCommandsService, SubProjectCommandsService, SubProjectQueries, clockProvider],
  exports: [FamilyCommandsService, SubProjectCommandsService, RulesModule],
})
export class FamiliesModule {}
