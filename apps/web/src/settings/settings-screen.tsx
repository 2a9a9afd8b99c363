'use client';
// The Settings screen: the side list of sections and the one chosen. Each section loads its own
// data when shown.
import { AccountSection } from './account-section';
import { AppPasswordsSection } from './app-passwords-section';
import { FiltersSection } from './filters-section';
import { ForwardingSection } from './forwarding-section';
import { IdentitiesSection } from './identities-section';
import type { SettingsSectionId } from './sections';
import { SettingsNav } from './settings-nav';
import { SieveScriptsSection } from './sieve-scripts-section';
import { TwoFactorSection } from './two-factor-section';
import { VacationSection } from './vacation-section';

function Section({ id, address }: { id: SettingsSectionId; address: string }) {
  switch (id) {
    case 'account':
      return <AccountSection address={address} />;
    case 'app-passwords':
      return <AppPasswordsSection />;
    case 'two-factor':
      return <TwoFactorSection />;
    case 'filters':
      return <FiltersSection />;
    case 'sieve':
      return <SieveScriptsSection />;
    case 'vacation':
      return <VacationSection />;
    case 'forwarding':
      return <ForwardingSection />;
    case 'identities':
      return <IdentitiesSection />;
  }
}

export function SettingsScreen({ section, address }: { section: SettingsSectionId; address: string }) {
  return (
    <div className="grid gap-6 md:grid-cols-[13rem_1fr]">
      <div className="min-w-0">
        <h1 className="mb-3 text-2xl font-semibold tracking-tight text-slate-900">Settings</h1>
        <SettingsNav current={section} />
      </div>
      <div className="min-w-0 md:pt-12">
        <Section key={section} id={section} address={address} />
      </div>
    </div>
  );
}
