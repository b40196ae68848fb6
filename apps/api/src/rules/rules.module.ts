import { Module } from '@nestjs/common';
import { clockProvider } from '../shared/clock.provider';
import { RuleSetBootstrap } from './rule-set-bootstrap.service';
import { RuleSetCommandsService } from './rule-set-commands.service';
import { RuleSetRegistry } from './rule-set-registry.service';
import { RulesController } from './rules.controller';

/** Delegation rule-set streams, the registry of the sets in force, and the rules team's API. */
@Module({
  controllers: [RulesController],
  providers: [RuleSetRegistry, RuleSetCommandsService, clockProvider],
  exports: [RuleSetRegistry, RuleSetCommandsService],
})
export class RulesModule {}

/** The API's start-up load of the shipped rule sets (not the CLI's: its auditor commands only read). */
@Module({
  imports: [RulesModule],
  providers: [RuleSetBootstrap],
})
export class RuleSetBootstrapModule {}
