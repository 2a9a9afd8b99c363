// The root layout: document shell, global styles and the skip link every page shares.
import type { Metadata, Viewport } from 'next';
import type { ReactNode } from 'react';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Wild Duck Mail', template: '%s · Wild Duck Mail' },
  description:
    'A scalable mail platform on MongoDB and Redis: IMAP, LMTP, SMTP, GraphQL, webmail and an admin console.',
};

export const viewport: Viewport = {
  // the browser's own bars follow the colour scheme, like the page (globals.css)
  themeColor: [
    { media: '(prefers-color-scheme: light)', color: '#164bb5' },
    { media: '(prefers-color-scheme: dark)', color: '#0f172a' },
  ],
  colorScheme: 'light dark',
  width: 'device-width',
  initialScale: 1,
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen bg-slate-50 font-sans text-slate-900 antialiased">
        <a
          href="#main"
          className="sr-only focus:not-sr-only focus:absolute focus:left-4 focus:top-4 focus:z-50 focus:rounded-md focus:bg-white focus:px-4 focus:py-2 focus:text-brand-700 focus:shadow"
        >
          Skip to content
        </a>
        {children}
      </body>
    </html>
  );
}
