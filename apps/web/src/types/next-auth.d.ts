// What our sessions carry. The browser sees only Session; the JWT (with the API token) stays
// inside the encrypted, HTTP-only session cookie and is read on the server alone.
import 'next-auth';
import 'next-auth/jwt';

type Role = 'user' | 'admin';

declare module 'next-auth' {
  interface Session {
    user: { address: string; role: Role };
  }
  interface User {
    id: string;
    address: string;
    role: Role;
    apiToken: string;
    apiExpires: number | undefined;
  }
}

declare module 'next-auth/jwt' {
  interface JWT {
    address?: string;
    role?: Role;
    apiToken?: string;
    /** When the API session ends (ms since the epoch); the web session ends with it. */
    apiExpires?: number;
  }
}
