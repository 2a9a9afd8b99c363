// The list of settings sections down the side (wrapped across the top on small screens, all in view); each is a link,
// so a section has its own address and the browser's back button works.
import Link from 'next/link';
import { SETTINGS_SECTIONS, type SettingsSectionId } from './sections';

export function SettingsNav({ current }: { current: SettingsSectionId }) {
  return (
    <nav aria-label="Settings sections">
      <ul className="flex flex-wrap gap-1 md:flex-col">
        {SETTINGS_SECTIONS.map((section) => (
          <li key={section.id}>
            <Link
              href={`/settings?section=${section.id}`}
              aria-current={section.id === current ? 'page' : undefined}
              className={`block rounded-md px-3 py-2 text-sm font-medium whitespace-nowrap ${
                section.id === current ? 'bg-brand-50 text-brand-700' : 'text-slate-700 hover:bg-slate-100'
              }`}
            >
              {section.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
