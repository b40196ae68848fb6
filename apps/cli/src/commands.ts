import type { Type } from '@nestjs/common';
import type { CommandRunner } from 'nest-commander';
import { AuditAsOfCommand } from './audit/as-of.command';
import { AuditCommand } from './audit/audit.command';
import { AuditHistoryCommand } from './audit/history.command';
import { AuditLetterCommand } from './audit/letter.command';
import { AuditRebuildCompareCommand } from './audit/rebuild-compare.command';
import { AuditReconcileCommand } from './audit/reconcile.command';
import { AuditSubjectExportCommand } from './audit/subject-export.command';
import { AuditVerifyCommand } from './audit/verify.command';
import { ArchiveCommand, ArchiveExportCommand } from './archive/archive.command';
import { ProjectionsCommand, ProjectionsRebuildCommand, ProjectionsStatusCommand } from './projections/projections.command';
import { RetentionCommand, RetentionPlanCommand, RetentionRunCommand } from './retention/retention.command';
import { RulesCommand, RulesExplainCommand, RulesValidateCommand } from './rules/rules.command';
import { RulesSimulateCommand } from './rules/simulate.command';
import { SeedCommand, SeedDemoCommand } from './seed/seed.command';

/** The command groups: they only dispatch to a subcommand (their run is the usage error), and need no database. */
export const GROUP_COMMANDS: Type<CommandRunner>[] = [ProjectionsCommand, SeedCommand, RulesCommand, AuditCommand, RetentionCommand, ArchiveCommand];

/** The commands that do something (each also a provider in cli.module.ts, and a subcommand of its group). */
export const LEAF_COMMANDS: Type<CommandRunner>[] = [
  ProjectionsStatusCommand,
  ProjectionsRebuildCommand,
  SeedDemoCommand,
  RulesValidateCommand,
  RulesExplainCommand,
  RulesSimulateCommand,
  AuditVerifyCommand,
  AuditRebuildCompareCommand,
  AuditHistoryCommand,
  AuditAsOfCommand,
  AuditSubjectExportCommand,
  AuditReconcileCommand,
  AuditLetterCommand,
  RetentionRunCommand,
  RetentionPlanCommand,
  ArchiveExportCommand,
];
