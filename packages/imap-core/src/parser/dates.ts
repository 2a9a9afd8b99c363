/**
 * SEARCH dates (`1-Feb-1994`, RFC 3501 `date`) and APPEND date-times
 * (`"17-Jul-1996 02:44:25 -0700"`, RFC 3501 `date-time`).
 */
import { Byte } from './characters.js';
import type { FrameCursor } from './cursor.js';
import { fail } from './frame.js';
import type { CalendarDate } from './types.js';

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];

const DATE_PATTERN = /^(\d{1,2})-([A-Za-z]{3})-(\d{4})$/;
const DATE_TIME_PATTERN = /^([ \d]?\d)-([A-Za-z]{3})-(\d{4}) (\d{2}):(\d{2}):(\d{2}) ([+-])(\d{2})(\d{2})$/;

/** Turns day, month name and year into a checked calendar date; null when no such day exists. */
function toCalendarDate(dayText: string, monthName: string, yearText: string): CalendarDate | null {
  const month = MONTHS.indexOf(monthName.toUpperCase()) + 1;
  const day = Number(dayText.trim());
  const year = Number(yearText);
  if (month === 0 || day < 1) return null;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day > daysInMonth ? null : { year, month, day };
}

/** Reads a search date, bare or quoted (`1-Feb-1994` or `"1-Feb-1994"`). */
export function readSearchDate(cursor: FrameCursor): CalendarDate {
  const text =
    cursor.peek() === Byte.Quote ? cursor.readQuoted().toString('latin1') : cursor.readAtom('a date');
  const match = DATE_PATTERN.exec(text);
  const date = match ? toCalendarDate(match[1] ?? '', match[2] ?? '', match[3] ?? '') : null;
  if (date === null) fail(`invalid date "${text.slice(0, 30)}": expected e.g. 1-Feb-1994`);
  return date;
}

/** Reads a quoted date-time and returns the instant it names. */
export function readDateTime(cursor: FrameCursor): Date {
  const text = cursor.readQuoted().toString('latin1');
  const match = DATE_TIME_PATTERN.exec(text);
  if (!match) fail(`invalid date-time "${text.slice(0, 40)}": expected e.g. "17-Jul-1996 02:44:25 -0700"`);
  const [
    ,
    dayText = '',
    monthName = '',
    yearText = '',
    hours = '',
    minutes = '',
    seconds = '',
    sign = '',
    zoneHours = '',
    zoneMinutes = '',
  ] = match;
  const date = toCalendarDate(dayText, monthName, yearText);
  const hour = Number(hours);
  const minute = Number(minutes);
  const second = Number(seconds);
  if (date === null || hour > 23 || minute > 59 || second > 60 || Number(zoneMinutes) > 59) {
    fail(`invalid date-time "${text}": no such day or time`);
  }
  const zoneOffsetMinutes = (sign === '-' ? -1 : 1) * (Number(zoneHours) * 60 + Number(zoneMinutes));
  const utc = Date.UTC(date.year, date.month - 1, date.day, hour, minute, Math.min(second, 59));
  return new Date(utc - zoneOffsetMinutes * 60_000);
}
