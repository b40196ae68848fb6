import { Module, type Type } from '@nestjs/common';
import { CommandFactory, CommandRunner, CommandRunnerService } from 'nest-commander';
import { USAGE_ERROR, type CommanderCommand } from './audit/usage-exit';
import { GROUP_COMMANDS, LEAF_COMMANDS } from './commands';
import { packageVersion, PROGRAM_NAME } from './version';

/** How commander ended a parse: its exit code, thrown from the exit override instead of process.exit. */
class ParseExit extends Error {
  constructor(readonly exitCode: number) {
    super(`exit ${exitCode}`);
  }
}

/** What the command line asks for: a command to run against the database, or nothing more (help, version, usage error). */
export type ParsedCommandLine = { run: true } | { run: false; exitCode: number };

/**
 * Every command everywhere: named `familievedtak`, the help after a usage error, and commander's
 * exits turned into ParseExit (help and version 0, any usage error 2: an unknown command or
 * option, a missing argument, a group without its subcommand).
 */
function configure(root: CommanderCommand): void {
  root.name(PROGRAM_NAME);
  const walk = (command: CommanderCommand) => {
    command.showHelpAfterError();
    command.exitOverride((error) => {
      throw new ParseExit(error.exitCode === 0 ? 0 : USAGE_ERROR);
    });
    command.commands.forEach((c) => walk(c as CommanderCommand));
  };
  walk(root);
}

/**
 * The command line checked before any database is resolved (no embedded PostgreSQL started
 * for --help, --version or a typo): the real command tree, built by nest-commander from the
 * same classes, with instances that have no dependencies. Groups run as they are (they only
 * print help or a usage error); a leaf command only says it would run.
 */
export async function parseCommandLine(argv: string[]): Promise<ParsedCommandLine> {
  let leaf = false;
  let exitCode = 0;
  const stub = (type: Type<CommandRunner>, runs: boolean) => {
    const instance = Object.create(type.prototype) as CommandRunner;
    if (!runs) instance.run = async () => void (leaf = true);
    return { provide: type, useValue: instance };
  };
  @Module({ providers: [...GROUP_COMMANDS.map((t) => stub(t, true)), ...LEAF_COMMANDS.map((t) => stub(t, false))] })
  class ParseModule {}
  const app = await CommandFactory.createWithoutRunning(ParseModule, {
    logger: false,
    version: packageVersion(),
    serviceErrorHandler: (error) => {
      if (error instanceof ParseExit) {
        exitCode = error.exitCode;
        return;
      }
      // Nothing runs in this phase but option parsers: one that refused its value (e.g. --clearance everything).
      process.stderr.write(`error: ${error.message}\n`);
      exitCode = USAGE_ERROR;
    },
  });
  try {
    const anyGroup = app.get(GROUP_COMMANDS[0]) as unknown as { command: CommanderCommand };
    configure(anyGroup.command.parent as CommanderCommand);
    await app.get(CommandRunnerService).run(argv);
  } finally {
    await app.close();
  }
  return leaf && exitCode === 0 ? { run: true } : { run: false, exitCode };
}
