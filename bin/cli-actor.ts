import os from 'node:os';

/** How the command line is named in the audit trail: `cli:` and the OS user who runs it. */
export function cliActor(): string {
  let user = 'unknown';
  try {
    user = os.userInfo().username;
  } catch {
    // no passwd entry for this uid
  }
  return `cli:${user}`;
}
