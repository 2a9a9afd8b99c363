/**
 * Lower-cases and trims an email address, or returns undefined when it is not one we accept:
 * `local@domain` with a dot-atom local part (RFC 5322 3.4.1, no quoted forms) and a domain of
 * letters, digits and hyphens in dot-separated labels, at most 254 characters in all.
 */
export function normalizeAddress(input: string): string | undefined {
  const address = input.trim().toLowerCase();
  if (address.length > 254) return undefined;
  const at = address.lastIndexOf('@');
  if (at <= 0) return undefined;
  const local = address.slice(0, at);
  const domain = address.slice(at + 1);
  const localOk =
    local.length <= 64 && /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/.test(local);
  const domainOk = /^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/.test(
    domain,
  );
  return localOk && domainOk ? address : undefined;
}
