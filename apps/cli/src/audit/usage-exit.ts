import type { CommandRunner } from 'nest-commander';

/** nest-commander's own commander (the top-level `commander` package may be another version). */
export type CommanderCommand = Parameters<CommandRunner['setCommand']>[0];

/** Exit code of the audit commands for a usage error (1 means "problems found"). */
export const USAGE_ERROR = 2;

/**
 * Commander ends the process with 1 on an unknown option or a missing value, which the audit
 * commands reserve for "problems found": such parse errors exit with 2 instead (help stays 0).
 */
export function exitWithUsageCode(command: CommanderCommand): CommanderCommand {
  return command.exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : USAGE_ERROR));
}

/** A positive whole number from an option, or undefined (reported as a usage error by the caller). */
export function positiveInt(value: string): number | undefined {
  return /^[1-9][0-9]*$/.test(value) ? Number(value) : undefined;
}

/**
 * The run of a command group (`audit`, `projections`, `rules`, `seed`): reached only without a
 * known subcommand. An unknown one is a usage error (exit 2) with the help on stderr, as is the
 * group alone (which names nothing to do).
 */
export function groupWithoutSubcommand(command: CommanderCommand, args: string[]): void {
  if (args.length) {
    command.error(`error: unknown command '${args[0]}' for '${command.name()}'`, { exitCode: USAGE_ERROR, code: 'commander.unknownCommand' });
  }
  command.help({ error: true });
}
