// The product mark and name, linking home.
import Link from 'next/link';

export function Logo() {
  return (
    <Link
      href="/"
      className="flex items-center gap-2.5 rounded-md text-slate-900"
      aria-label="Wild Duck Mail, home"
    >
      <svg viewBox="0 0 32 32" className="h-8 w-8" aria-hidden="true">
        <rect width="32" height="32" rx="8" className="fill-brand-700" />
        <path
          d="M7 11.5 16 18l9-6.5"
          fill="none"
          className="stroke-white"
          strokeWidth="2.2"
          strokeLinecap="round"
          strokeLinejoin="round"
        />
        <rect
          x="7"
          y="9"
          width="18"
          height="14"
          rx="2"
          fill="none"
          className="stroke-white"
          strokeWidth="2.2"
        />
      </svg>
      <span className="text-lg font-semibold tracking-tight whitespace-nowrap">
        Wild Duck <span className="text-brand-700">Mail</span>
      </span>
    </Link>
  );
}
