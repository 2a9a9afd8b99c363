// Where to send someone after sign-in: only a path on this site, never another origin.

/** `candidate` if it is a same-site absolute path (not `//host` or a URL), else `fallback`. */
export function safeReturnPath(candidate: string | undefined, fallback: string): string {
  if (!candidate || !candidate.startsWith('/') || candidate.startsWith('//') || candidate.includes('\\'))
    return fallback;
  return candidate;
}
