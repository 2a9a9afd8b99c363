// The product landing page: what the platform is and the ways into webmail and admin.
import Link from 'next/link';
import { SiteHeader } from '@/components/site-header';

const FEATURES = [
  {
    title: 'Every mail protocol',
    body: 'IMAP with STARTTLS and implicit TLS, LMTP, SMTP maildrop and authenticated submission. Switch each on or off per node.',
  },
  {
    title: 'Stored in a clustered database',
    body: 'Messages, mailboxes and a change journal live in MongoDB; attachments are deduplicated in GridFS. No mail spool on local disks.',
  },
  {
    title: 'Stateless, so it scales out',
    body: 'Run as many mail, API and web processes as you need against the same MongoDB and Redis. Any instance serves any user.',
  },
  {
    title: 'Live everywhere',
    body: 'A delivery is published on Redis and reaches IMAP IDLE sessions and GraphQL subscriptions on every instance within moments.',
  },
  {
    title: 'A GraphQL API for apps',
    body: 'Mailboxes, messages, sending and administration over GraphQL, with subscriptions over WebSocket and scoped access tokens.',
  },
  {
    title: 'Webmail and admin console',
    body: 'Read and write mail in the browser, and manage users, quotas and roles from one console. Both are being built now.',
  },
] as const;

const PROCESSES = [
  { name: 'Mail servers', detail: 'IMAP · LMTP · SMTP', count: '× N' },
  { name: 'API', detail: 'REST · GraphQL · subscriptions', count: '× N' },
  { name: 'Web', detail: 'Webmail · admin console', count: '× N' },
] as const;

/** A small picture of the architecture: stateless processes over one MongoDB and one Redis. */
function ArchitectureCard() {
  return (
    <figure
      className="rounded-2xl border border-slate-200 bg-white p-6 shadow-sm"
      aria-labelledby="architecture-caption"
    >
      <ul className="space-y-3">
        {PROCESSES.map((process) => (
          <li
            key={process.name}
            className="flex items-center justify-between rounded-lg border border-brand-100 bg-brand-50 px-4 py-3"
          >
            <div>
              <p className="font-semibold text-slate-900">{process.name}</p>
              <p className="text-sm text-slate-600">{process.detail}</p>
            </div>
            <span className="text-sm font-semibold text-brand-700">{process.count}</span>
          </li>
        ))}
      </ul>
      <div className="my-4 flex justify-center" aria-hidden="true">
        <svg viewBox="0 0 24 24" className="h-6 w-6 text-slate-400">
          <path
            d="M12 4v16m0 0-5-5m5 5 5-5"
            fill="none"
            stroke="currentColor"
            strokeWidth="2"
            strokeLinecap="round"
          />
        </svg>
      </div>
      <div className="grid grid-cols-2 gap-3">
        <div className="rounded-lg bg-slate-900 px-4 py-3 text-white">
          <p className="font-semibold">MongoDB</p>
          <p className="text-sm text-slate-300">mail, mailboxes, journal</p>
        </div>
        <div className="rounded-lg bg-slate-900 px-4 py-3 text-white">
          <p className="font-semibold">Redis</p>
          <p className="text-sm text-slate-300">change bus, limits</p>
        </div>
      </div>
      <figcaption id="architecture-caption" className="mt-4 text-sm text-slate-600">
        Every process is stateless: run as many as you need against the same store.
      </figcaption>
    </figure>
  );
}

export default function LandingPage() {
  return (
    <>
      <SiteHeader />
      <main id="main">
        <section className="bg-gradient-to-b from-white to-brand-50">
          <div className="mx-auto grid max-w-6xl items-center gap-12 px-6 py-20 sm:py-24 lg:grid-cols-[3fr_2fr]">
            <div>
              <p className="text-sm font-semibold tracking-wider text-brand-700 uppercase">
                Wild Duck Mail Platform
              </p>
              <h1 className="mt-3 max-w-3xl text-4xl font-bold tracking-tight text-slate-900 sm:text-5xl">
                Mail hosting that grows with your database, not with your disks.
              </h1>
              <p className="mt-6 max-w-2xl text-lg leading-relaxed text-slate-700">
                IMAP, LMTP, SMTP, a GraphQL API, webmail and an admin console, all stateless, all storing mail
                in MongoDB and talking through Redis. Add instances when you need more; lose one and nothing
                is lost.
              </p>
              <div className="mt-10 flex flex-wrap gap-4">
                <Link
                  href="/mail"
                  className="rounded-lg bg-brand-700 px-5 py-3 font-semibold text-white shadow-sm hover:bg-brand-600"
                >
                  Open webmail
                </Link>
                <Link
                  href="/admin"
                  className="rounded-lg border border-slate-300 bg-white px-5 py-3 font-semibold text-slate-800 shadow-sm hover:bg-slate-50"
                >
                  Admin console
                </Link>
              </div>
            </div>
            <ArchitectureCard />
          </div>
        </section>

        <section aria-labelledby="features-title" className="mx-auto max-w-6xl px-6 py-16">
          <h2 id="features-title" className="text-2xl font-semibold tracking-tight text-slate-900">
            What you get
          </h2>
          <ul className="mt-8 grid gap-6 sm:grid-cols-2 lg:grid-cols-3">
            {FEATURES.map((feature) => (
              <li key={feature.title} className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm">
                <h3 className="font-semibold text-slate-900">{feature.title}</h3>
                <p className="mt-2 text-sm leading-relaxed text-slate-600">{feature.body}</p>
              </li>
            ))}
          </ul>
        </section>
      </main>
      <footer className="border-t border-slate-200 bg-white">
        <div className="mx-auto flex max-w-6xl flex-wrap justify-between gap-2 px-6 py-6 text-sm text-slate-600">
          <span>Wild Duck Mail Platform</span>
          <span>IMAP · LMTP · SMTP · GraphQL · Webmail</span>
        </div>
      </footer>
    </>
  );
}
