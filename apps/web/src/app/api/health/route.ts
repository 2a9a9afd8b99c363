// Liveness probe for launchers and load balancers: answers as soon as the server is up.
export const dynamic = 'force-dynamic';

export function GET(): Response {
  return Response.json({ ok: true, service: 'web' });
}
