import { Command, CommandRunner } from 'nest-commander';
import { AuditRebuildCompareCommand } from './rebuild-compare.command';
import { AuditVerifyCommand } from './verify.command';

@Command({
  name: 'audit',
  description: "The auditor's tools: verify the log's hash chains, compare a replay of the family view with the live one",
  // One entry per subcommand; each is also a provider in cli.module.ts.
  subCommands: [
    AuditVerifyCommand,
    AuditRebuildCompareCommand,
  ],
})
export class AuditCommand extends CommandRunner {
  async run(): Promise<void> {
    this.command.help();
  }
}
