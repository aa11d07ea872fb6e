import type { XmlObject } from '../../protocols/rest-xml.js';

/** Each account's canonical user id: 64 hex digits, as S3's, that name the account (and can be read back). */
export function canonicalIdOf(accountId: string): string {
  return Buffer.from(`lambkin-owner-${accountId}`).toString('hex').padEnd(64, '0').slice(0, 64);
}

/** The account a canonical user id names, or undefined when it names none here. */
export function accountOfCanonicalId(id: string): string | undefined {
  if (!/^[0-9a-f]{64}$/i.test(id)) return undefined;
  const text = Buffer.from(id, 'hex').toString('latin1').replace(/\0+$/, '');
  return /^lambkin-owner-(\d{12})$/.exec(text)?.[1];
}

/** Each account's canonical user, as `Owner` elements show it. */
export function ownerXml(accountId: string): XmlObject {
  return { ID: canonicalIdOf(accountId), DisplayName: 'webfile' };
}
