/** Flags for Debian's Chromium without a desktop session: no sandbox (root/containers), no GPU, no network chatter. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** Where `hydramem report` looks for Chromium: HYDRAMEM_CHROMIUM, else Debian's package. */
export function chromiumPath(env: NodeJS.ProcessEnv): string {
  return env.HYDRAMEM_CHROMIUM ?? '/usr/bin/chromium';
}
