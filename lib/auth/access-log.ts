/** One line per request on stdout, as JSON, so a log shipper can index who saw what. */
export interface AccessLogEntry {
  time: string;
  method: string;
  path: string;
  status: number;
  ms: number;
  user: string | null;
  role: string | null;
  /** Why a request was refused, when it was (e.g. "bad-secret", "no-role"). */
  refused?: string;
}

export function accessLogLine(entry: AccessLogEntry): string {
  return `${JSON.stringify(entry)}\n`;
}
