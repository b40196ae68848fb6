import { Command, CommandRunner } from 'nest-commander';
import { AuditAsOfCommand } from './as-of.command';
import { AuditHistoryCommand } from './history.command';
import { AuditLetterCommand } from './letter.command';
import { AuditRebuildCompareCommand } from './rebuild-compare.command';
import { AuditReconcileCommand } from './reconcile.command';
import { AuditSubjectExportCommand } from './subject-export.command';
import { AuditVerifyCommand } from './verify.command';
import { groupWithoutSubcommand } from './usage-exit';

@Command({
  name: 'audit',
  description:
    "The auditor's tools: verify the log's hash chains, compare a replay of the family view with the live one, a family's history, its view as of a moment, a member's subject-access export, sub-project spends reconciled with family payments, an issued family letter checked against the log",
  // One entry per subcommand; each is also a provider in cli.module.ts.
  subCommands: [
    AuditVerifyCommand,
    AuditRebuildCompareCommand,
    AuditHistoryCommand,
    AuditAsOfCommand,
    AuditSubjectExportCommand,
    AuditReconcileCommand,
    AuditLetterCommand,
  ],
})
export class AuditCommand extends CommandRunner {
  async run(args: string[]): Promise<void> {
    groupWithoutSubcommand(this.command, args);
  }
}
