import pkg from '../package.json';

/** The release every part reports (CLI, MCP server, dashboard report header): package.json's version. */
export const APP_VERSION: string = pkg.version;
