import 'reflect-metadata';
import { readAppConfig, resolveDatabase } from '@familievedtak/database';
import { CommandFactory } from 'nest-commander';
import { CliModule } from './cli.module';

/**
 * `npm run cli -- <command>`. Same database resolution as the API (DATABASE_URL, else the
 * embedded server under ./.data); the CLI never runs projections in the background.
 */
async function main(): Promise<void> {
  const database = await resolveDatabase(process.env);
  try {
    const config = readAppConfig(database.url, { ...process.env, RUN_PROJECTIONS: 'false' });
    await CommandFactory.run(CliModule.forRoot(config), { logger: ['warn', 'error'] });
  } finally {
    await database.stop();
  }
}

main()
  .then(() => {
    // The embedded server's exit hook ends the process with 0 on 'beforeExit': keep a command's exit code.
    if (process.exitCode) process.exit(process.exitCode);
  })
  .catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
