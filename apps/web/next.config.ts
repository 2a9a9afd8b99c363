// Next.js configuration for the web console. Telemetry is off: this app runs on machines
// that must not phone home (the scripts also set NEXT_TELEMETRY_DISABLED=1).
import type { NextConfig } from 'next';

process.env.NEXT_TELEMETRY_DISABLED = '1';

const nextConfig: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // The web app is served by `npm start` on its own port; it needs no image optimiser.
  images: { unoptimized: true },
  // The live feed's WebSocket client runs on the server as plain Node packages, unbundled.
  serverExternalPackages: ['ws', 'graphql-ws'],
};

export default nextConfig;
