import { Command } from 'commander';
import { registerDashboard } from './commands/dashboard';
import { registerDemo } from './commands/demo';
import { registerFederation } from './commands/federation';
import { registerGarden } from './commands/garden';
import { registerIngest } from './commands/ingest';
import { registerSearch } from './commands/search';
import { registerServe } from './commands/serve';
import { registerStats } from './commands/stats';
import { reportError } from './cli-support';

const VERSION = '0.1.0';

export function buildProgram(): Command {
  const program = new Command()
    .name('hydramem')
    .description(
      'HydraMem: long-term memory for AI agents. Notes become a knowledge graph served over MCP.\n' +
        'Configuration comes from the environment: HYDRAMEM_DATA_DIR, HYDRAMEM_PROJECT, KNOWLEDGE_DIR, HYDRAMEM_TRANSPORT,\n' +
        'MCP_HOST, MCP_PORT and others (see the README).',
    )
    .version(VERSION)
    .showHelpAfterError('(run with --help for usage)');
  registerServe(program);
  registerIngest(program);
  registerSearch(program);
  registerStats(program);
  registerDashboard(program);
  registerDemo(program);
  registerGarden(program);
  registerFederation(program);
  return program;
}

buildProgram()
  .parseAsync(process.argv)
  .catch((error: unknown) => {
    process.exitCode = reportError(error);
  });
