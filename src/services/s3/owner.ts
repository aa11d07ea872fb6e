import type { XmlObject } from '../../protocols/rest-xml.js';

/** Each account's canonical user, as `Owner` elements show it. */
export function ownerXml(accountId: string): XmlObject {
  return { ID: Buffer.from(`lambkin-owner-${accountId}`).toString('hex').padEnd(64, '0').slice(0, 64), DisplayName: 'webfile' };
}
