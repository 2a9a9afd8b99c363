// The sections of the Settings screen, in the order the side list shows them.
export const SETTINGS_SECTIONS = [
  { id: 'account', label: 'Account' },
  { id: 'app-passwords', label: 'App passwords' },
  { id: 'two-factor', label: 'Two-factor sign-in' },
  { id: 'filters', label: 'Filters' },
  { id: 'sieve', label: 'Sieve scripts' },
  { id: 'vacation', label: 'Vacation reply' },
  { id: 'forwarding', label: 'Forwarding' },
  { id: 'identities', label: 'Identities' },
] as const;

export type SettingsSectionId = (typeof SETTINGS_SECTIONS)[number]['id'];

/** The section a ?section= value names, else the first. */
export function settingsSection(value: string | undefined): SettingsSectionId {
  return SETTINGS_SECTIONS.find((section) => section.id === value)?.id ?? 'account';
}
