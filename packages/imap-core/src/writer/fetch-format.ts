/**
 * Text of FETCH response data items: the item name a FETCH attribute is answered under
 * (`BODY[1.2.HEADER.FIELDS (FROM TO)]<0>`), and INTERNALDATE's date-time.
 */
import { ATOM_CHAR } from '../parser/characters.js';
import type { FetchItem, SectionSpec } from '../parser/types.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** A header field name as an atom when it is one, else a quoted string. */
function formatFieldName(name: string): string {
  const bytes = Buffer.from(name, 'utf8');
  if (bytes.length > 0 && bytes.every((byte) => ATOM_CHAR[byte] === 1)) return name;
  return `"${name.replace(/[\\"]/g, (character) => `\\${character}`).replace(/[\r\n]/g, '')}"`;
}

/** `1.2.HEADER.FIELDS (FROM TO)`: the inside of a section's brackets. */
export function formatSection(section: SectionSpec): string {
  const parts: string[] = [];
  if (section.part.length > 0) parts.push(section.part.join('.'));
  if (section.specifier !== null) parts.push(section.specifier);
  let text = parts.join('.');
  if (section.specifier === 'HEADER.FIELDS' || section.specifier === 'HEADER.FIELDS.NOT') {
    text += ` (${section.fields.map(formatFieldName).join(' ')})`;
  }
  return text;
}

/**
 * The name a fetch attribute's data is returned under (RFC 3501 7.4.2): `.PEEK` dropped, and a
 * partial range shown by its origin only (`BODY[]<0>`).
 */
export function fetchResponseName(item: FetchItem): string {
  switch (item.item) {
    case 'BODY[]':
      return `BODY[${formatSection(item.section)}]${item.partial ? `<${item.partial.offset}>` : ''}`;
    case 'BINARY[]':
      return `BINARY[${item.part.join('.')}]${item.partial ? `<${item.partial.offset}>` : ''}`;
    case 'BINARY.SIZE':
      return `BINARY.SIZE[${item.part.join('.')}]`;
    default:
      return item.item;
  }
}

/**
 * INTERNALDATE's date-time (`17-Jul-1996 02:44:25 -0700`) of `date`, shown in the zone
 * `offsetMinutes` east of UTC (0 by default: servers may choose any zone).
 */
export function formatDateTime(date: Date, offsetMinutes = 0): string {
  const shifted = new Date(date.getTime() + offsetMinutes * 60_000);
  const pad = (value: number, width = 2) => String(value).padStart(width, '0');
  const sign = offsetMinutes < 0 ? '-' : '+';
  const zone = Math.abs(offsetMinutes);
  return (
    `${pad(shifted.getUTCDate())}-${MONTHS[shifted.getUTCMonth()]}-${pad(shifted.getUTCFullYear(), 4)} ` +
    `${pad(shifted.getUTCHours())}:${pad(shifted.getUTCMinutes())}:${pad(shifted.getUTCSeconds())} ` +
    `${sign}${pad(Math.floor(zone / 60))}${pad(zone % 60)}`
  );
}
