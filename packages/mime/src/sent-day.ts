// The calendar day of a Date header as written, for SENTBEFORE / SENTON / SENTSINCE: RFC 3501 6.4.4
// compares "the date of the Date: header (disregarding time and timezone)", so a message dated
// "Mon, 1 Jan 2024 23:30:00 -0800" is sent on 1 January, although that instant is 2 January in UTC.

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/**
 * Midnight UTC of the day written in an RFC 5322 date (`[day-of-week ","] day month year ...`,
 * comments and odd spacing tolerated, two- and three-digit years as RFC 5322 4.3 reads them);
 * for another form that JavaScript can parse, its UTC day; null when it makes no sense.
 */
export function sentDayOf(value: string | null | undefined): Date | null {
  if (!value) return null;
  const text = value.replace(/\([^)]*\)/g, ' ');
  const match = /(?:^|[\s,])(\d{1,2})\s*[-\s]\s*([a-z]{3})[a-z]*\.?\s*[-\s]\s*(\d{2,4})(?![\d])/i.exec(text);
  if (match) {
    const date = Number(match[1]);
    const month = MONTHS.indexOf(match[2]!.toLowerCase());
    let year = Number(match[3]);
    if (match[3]!.length === 2) year += year < 50 ? 2000 : 1900;
    else if (match[3]!.length === 3) year += 1900;
    if (month >= 0 && date >= 1 && date <= 31) return new Date(Date.UTC(year, month, date));
  }
  const time = Date.parse(text.replace(/\s+/g, ' ').trim());
  if (Number.isNaN(time)) return null;
  const instant = new Date(time);
  return new Date(Date.UTC(instant.getUTCFullYear(), instant.getUTCMonth(), instant.getUTCDate()));
}
