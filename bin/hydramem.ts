import { Command, CommanderError } from 'commander';
import { registerDashboard } from './commands/dashboard';
import { registerDemo } from './commands/demo';
import { registerFederation } from './commands/federation';
import { registerGarden } from './commands/garden';
import { registerIngest } from './commands/ingest';
import { registerKeys } from './commands/keys';
import { registerSearch } from './commands/search';
import { registerReport } from './commands/report';
import { registerServe } from './commands/serve';
import { registerStats } from './commands/stats';
import { registerPreferences, registerUsers } from './commands/users';
import { APP_VERSION } from '../lib/version';
import { reportError } from './cli-support';
import { guardTerminalOutput } from './terminal-output';

export function buildProgram(): Command {
  const program = new Command()
    .name('hydramem')
    .description(
      'HydraMem: long-term memory for AI agents. Notes become a knowledge graph served over MCP.\n' +
        'Configuration comes from the environment: HYDRAMEM_DATA_DIR, HYDRAMEM_PROJECT, KNOWLEDGE_DIR, HYDRAMEM_TRANSPORT,\n' +
        'MCP_HOST, MCP_PORT and others (see the README).',
    )
    .version(APP_VERSION)
    .showHelpAfterError('(run with --help for usage)')
    // Usage errors (unknown option, bad argument) exit 2 like other configuration mistakes; subcommands inherit this.
    .exitOverride();
  registerServe(program);
  registerIngest(program);
  registerSearch(program);
  registerStats(program);
  registerDashboard(program);
  registerDemo(program);
  registerGarden(program);
  registerFederation(program);
  registerReport(program);
  registerUsers(program);
  registerPreferences(program);
  registerKeys(program);
  return program;
}

guardTerminalOutput();
buildProgram()
  .parseAsync(process.argv)
  .catch((error: unknown) => {
    if (error instanceof CommanderError) process.exitCode = error.exitCode === 0 ? 0 : 2;
    else process.exitCode = reportError(error);
  });
