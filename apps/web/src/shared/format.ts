// Formatting of sizes, dates and addresses for the webmail and admin screens (both sides).
import type { Address } from '@/client/api-types';

const UNITS = ['bytes', 'kB', 'MB', 'GB', 'TB'];

/** 1234567 -> "1.2 MB" (powers of 1024, as quotas are set). */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 1024) return `${Math.max(0, Math.round(bytes || 0))} bytes`;
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value >= 100 ? Math.round(value) : value.toFixed(1)} ${UNITS[unit]}`;
}

/** A date for a message list: the time today, the day this year, else the full date. */
export function formatListDate(iso: string, now = new Date()): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  if (date.toDateString() === now.toDateString()) {
    return date.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' });
  }
  if (date.getFullYear() === now.getFullYear()) {
    return date.toLocaleDateString('en-GB', { day: 'numeric', month: 'short' });
  }
  return date.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric' });
}

/** A full date and time, for the reading pane and tables. */
export function formatFullDate(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  return date.toLocaleString('en-GB', {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });
}

/** "Ann <ann@example.com>" or "ann@example.com". */
export function formatAddress(address: Address): string {
  return address.name ? `${address.name} <${address.address}>` : address.address;
}

/** The name if there is one, else the address. */
export function displayName(address: Address | undefined): string {
  return address?.name?.trim() || address?.address || '(unknown sender)';
}

/** Parses "Ann <ann@example.com>, bob@example.com" into addresses; bad entries in `invalid`. */
export function parseAddressList(text: string): { addresses: Address[]; invalid: string[] } {
  const addresses: Address[] = [];
  const invalid: string[] = [];
  for (const raw of text.split(/[,;\n]/)) {
    const entry = raw.trim();
    if (!entry) continue;
    const angled = /^(.*)<([^<>\s]+)>$/.exec(entry);
    const name = angled ? angled[1]!.trim().replace(/^"|"$/g, '') : '';
    const address = (angled ? angled[2]! : entry).trim();
    if (/^[^\s@]+@[^\s@]+$/.test(address)) addresses.push({ name: name || null, address });
    else invalid.push(entry);
  }
  return { addresses, invalid };
}
