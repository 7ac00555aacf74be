import { publicRoute } from '@/lib/request/dashboard-route';
import { storeReadiness } from '@/lib/request/store-readiness';

// Readiness: both stores open read-only, are of a schema version this build understands, and have
// shown no damage to a read or to the background integrity check.
export const dynamic = 'force-dynamic';

export const GET = publicRoute(async ({ read, signedIn }) => {
  const readiness = await storeReadiness(read);
  // Anyone may probe; the reasons (with the stores' paths) are for signed-in viewers and the logs.
  const { ready: _ready, ...details } = readiness;
  const body = signedIn ? details : { status: readiness.status };
  return Response.json(body, { status: readiness.ready ? 200 : 503, headers: { 'cache-control': 'no-store' } });
});
