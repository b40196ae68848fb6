#!/usr/bin/env node
import 'reflect-metadata';

/**
 * `familievedtak <command>` (package.json `bin`; `npm run cli -- <command>` in a checkout).
 * The command line is checked first, without a database (help, --version and usage errors
 * answer at once); a command then runs with the API's database resolution (DATABASE_URL,
 * else the embedded server under ./.data). The CLI never runs projections in the background.
 * Exit codes: 0 done, 1 problems found / not found / failure, 2 usage error.
 */
async function main(argv: string[]): Promise<number> {
  // --version alone needs none of the commands: answered before anything heavy is loaded.
  if (argv.length === 3 && (argv[2] === '--version' || argv[2] === '-V')) {
    const { packageVersion } = await import('./version');
    process.stdout.write(`${packageVersion()}\n`);
    return 0;
  }
  const { parseCommandLine } = await import('./program');
  const parsed = await parseCommandLine(argv);
  if (!parsed.run) return parsed.exitCode;
  const [{ readAppConfig, resolveDatabase }, { CommandFactory }, { CliModule }] = await Promise.all([
    import('@familievedtak/database'),
    import('nest-commander'),
    import('./cli.module'),
  ]);
  const database = await resolveDatabase(process.env);
  try {
    const config = readAppConfig(database.url, { ...process.env, RUN_PROJECTIONS: 'false' });
    await CommandFactory.run(CliModule.forRoot(config), { logger: ['warn', 'error'] });
  } finally {
    await database.stop();
  }
  return typeof process.exitCode === 'number' ? process.exitCode : Number(process.exitCode ?? 0);
}

main(process.argv)
  .then((code) => {
    // The embedded server's exit hook ends the process with 0 on 'beforeExit': keep a command's exit code.
    if (code) process.exit(code);
  })
  .catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
