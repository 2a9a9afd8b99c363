import { ObjectId } from 'mongodb';

/** Parses a 24-hex id; undefined for anything else, so a forged id finds nothing instead of throwing. */
export function parseObjectId(value: string): ObjectId | undefined {
  return /^[0-9a-f]{24}$/i.test(value) ? new ObjectId(value) : undefined;
}

/** A BSON number (int32, double or the driver's Double/Long wrappers) as a JS number. */
export function toNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (value && typeof value === 'object' && 'valueOf' in value)
    return Number((value as { valueOf(): unknown }).valueOf());
  return Number(value);
}
