// next-auth's endpoints (/api/auth/signin, /callback/credentials, /session, /csrf, /providers, …).
import NextAuth from 'next-auth';
import type { NextRequest } from 'next/server';
import { getAuthOptions } from '@/server/auth-options';

interface RouteContext {
  params: Promise<{ nextauth: string[] }>;
}

async function handleAuthRequest(request: NextRequest, context: RouteContext): Promise<Response> {
  return NextAuth(request, context, getAuthOptions());
}

export { handleAuthRequest as GET, handleAuthRequest as POST };
