import { headers } from 'next/headers';
import { notFound } from 'next/navigation';
import { NONCE_HEADER, VIEWER_HEADER, VIEWER_KEY_ENV, verifyViewer, type Viewer } from './viewer';

/**
 * The viewer `hydramem dashboard` decided for this request. Without its signed header (a build
 * served some other way, or a forged header) the page is not found: no data without a decision.
 */
export async function requireViewer(): Promise<Viewer> {
  const viewer = await currentViewer();
  if (!viewer) notFound();
  return viewer;
}

/** For route handlers, which answer 401 themselves when there is no decided viewer. */
export async function currentViewer(): Promise<Viewer | null> {
  return verifyViewer((await headers()).get(VIEWER_HEADER), process.env[VIEWER_KEY_ENV]);
}

/** The CSP nonce the server chose for this response, for inline scripts we write ourselves. */
export async function scriptNonce(): Promise<string | undefined> {
  return (await headers()).get(NONCE_HEADER) ?? undefined;
}
