import { parseXml, xmlText, type XmlObject } from '../../../protocols/rest-xml.js';
import { errors } from '../errors.js';

/** Block Public Access: each flag false when not given. */
export interface PublicAccessBlock {
  BlockPublicAcls: boolean;
  IgnorePublicAcls: boolean;
  BlockPublicPolicy: boolean;
  RestrictPublicBuckets: boolean;
}

const FLAGS = ['BlockPublicAcls', 'IgnorePublicAcls', 'BlockPublicPolicy', 'RestrictPublicBuckets'] as const;

export function parsePublicAccessBlock(text: string): PublicAccessBlock {
  const root = parseXml(text)?.PublicAccessBlockConfiguration;
  if (root === undefined || (root !== '' && (typeof root !== 'object' || root === null))) throw errors.malformedXml();
  const r = (root === '' ? {} : root) as Record<string, unknown>;
  const out = {} as PublicAccessBlock;
  for (const flag of FLAGS) {
    const v = r[flag] === undefined ? 'false' : xmlText(r[flag])?.trim().toLowerCase();
    if (v !== 'true' && v !== 'false') throw errors.malformedXml();
    out[flag] = v === 'true';
  }
  return out;
}

export function storedBlock(text: string | null): PublicAccessBlock | undefined {
  return text ? (JSON.parse(text) as PublicAccessBlock) : undefined;
}

export function publicAccessBlockXml(block: PublicAccessBlock): XmlObject {
  return Object.fromEntries(FLAGS.map((f) => [f, block[f]]));
}
