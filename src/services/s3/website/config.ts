import { parseXml, xmlText, type XmlObject } from '../../../protocols/rest-xml.js';
import { errors } from '../errors.js';

export type WebsiteProtocol = 'http' | 'https';

/** Where a routing rule sends a request; every member optional, as in S3's `Redirect`. */
export interface WebsiteRedirect {
  hostName?: string;
  protocol?: WebsiteProtocol;
  /** Kept when empty: `ReplaceKeyPrefixWith` "" strips the matched prefix. */
  replaceKeyPrefixWith?: string;
  replaceKeyWith?: string;
  httpRedirectCode?: string;
}

export interface WebsiteRoutingRule {
  /** Absent: the rule matches every request. */
  condition?: { keyPrefixEquals?: string; httpErrorCodeReturnedEquals?: string };
  redirect: WebsiteRedirect;
}

/** A bucket's website configuration: either `redirectAllRequestsTo`, or an index document and the rest. */
export interface WebsiteConfiguration {
  redirectAllRequestsTo?: { hostName: string; protocol?: WebsiteProtocol };
  indexSuffix?: string;
  errorDocumentKey?: string;
  routingRules?: WebsiteRoutingRule[];
}

type Element = Record<string, unknown>;

/** A `<WebsiteConfiguration>` document, checked in the order S3 checks it. */
export function parseWebsiteConfiguration(text: string): WebsiteConfiguration {
  const root: unknown = parseXml(text, ['RoutingRule'])?.WebsiteConfiguration;
  // `<WebsiteConfiguration/>` parses to '': a document with nothing in it.
  let doc: Element;
  if (root === '') doc = {};
  else if (isElement(root)) doc = root;
  else throw errors.malformedXml();
  const rules = doc.RoutingRules === undefined ? undefined : routingRulesOf(doc.RoutingRules);
  if (doc.RedirectAllRequestsTo !== undefined) {
    if (doc.IndexDocument !== undefined || doc.ErrorDocument !== undefined || rules !== undefined) throw errors.websiteRedirectAllWithOthers();
    const target = element(doc.RedirectAllRequestsTo);
    const hostName = requiredText(target.HostName);
    const protocol = protocolOf(target.Protocol);
    return { redirectAllRequestsTo: { hostName, ...(protocol ? { protocol } : {}) } };
  }
  if (doc.IndexDocument === undefined) throw errors.websiteIndexMissing();
  const indexSuffix = requiredText(element(doc.IndexDocument).Suffix);
  // A suffix names a file inside each folder: never empty, never a path.
  if (indexSuffix === '' || indexSuffix.includes('/')) throw errors.websiteIndexSuffix(indexSuffix);
  const config: WebsiteConfiguration = { indexSuffix };
  if (doc.ErrorDocument !== undefined) config.errorDocumentKey = requiredText(element(doc.ErrorDocument).Key);
  if (rules !== undefined) config.routingRules = rules;
  return config;
}

function routingRulesOf(value: unknown): WebsiteRoutingRule[] {
  const raw = isElement(value) ? value.RoutingRule : undefined;
  if (!Array.isArray(raw) || raw.length === 0) throw errors.malformedXml();
  return raw.map((item) => {
    const rule = element(item);
    if (rule.Redirect === undefined) throw errors.malformedXml();
    const out: WebsiteRoutingRule = { redirect: redirectOf(rule.Redirect) };
    if (rule.Condition !== undefined) {
      const c = rule.Condition === '' ? {} : element(rule.Condition);
      const keyPrefixEquals = xmlText(c.KeyPrefixEquals);
      const httpErrorCodeReturnedEquals = xmlText(c.HttpErrorCodeReturnedEquals);
      if (keyPrefixEquals === undefined && httpErrorCodeReturnedEquals === undefined) throw errors.websiteEmptyCondition();
      if (httpErrorCodeReturnedEquals !== undefined && !/^[45]\d\d$/.test(httpErrorCodeReturnedEquals)) throw errors.websiteErrorCode(httpErrorCodeReturnedEquals);
      out.condition = {
        ...(keyPrefixEquals !== undefined ? { keyPrefixEquals } : {}),
        ...(httpErrorCodeReturnedEquals !== undefined ? { httpErrorCodeReturnedEquals } : {}),
      };
    }
    return out;
  });
}

function redirectOf(value: unknown): WebsiteRedirect {
  const r = value === '' ? {} : element(value);
  const protocol = protocolOf(r.Protocol);
  const hostName = xmlText(r.HostName);
  const replaceKeyPrefixWith = xmlText(r.ReplaceKeyPrefixWith);
  const replaceKeyWith = xmlText(r.ReplaceKeyWith);
  const httpRedirectCode = xmlText(r.HttpRedirectCode);
  if (replaceKeyPrefixWith !== undefined && replaceKeyWith !== undefined) throw errors.websiteReplaceBoth();
  // 300 (Multiple Choices) names no single place to go.
  if (httpRedirectCode !== undefined && (!/^3\d\d$/.test(httpRedirectCode) || httpRedirectCode === '300')) throw errors.websiteRedirectCode(httpRedirectCode);
  return {
    ...(hostName !== undefined ? { hostName } : {}),
    ...(protocol ? { protocol } : {}),
    ...(replaceKeyPrefixWith !== undefined ? { replaceKeyPrefixWith } : {}),
    ...(replaceKeyWith !== undefined ? { replaceKeyWith } : {}),
    ...(httpRedirectCode !== undefined ? { httpRedirectCode } : {}),
  };
}

function protocolOf(value: unknown): WebsiteProtocol | undefined {
  const text = xmlText(value);
  if (text === undefined) return undefined;
  if (text !== 'http' && text !== 'https') throw errors.websiteProtocol();
  return text;
}

function isElement(value: unknown): value is Element {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function element(value: unknown): Element {
  if (!isElement(value)) throw errors.malformedXml();
  return value;
}

/** An element the schema requires: its absence is MalformedXML. */
function requiredText(value: unknown): string {
  const text = xmlText(value);
  if (text === undefined) throw errors.malformedXml();
  return text;
}

export function storedWebsite(text: string | null): WebsiteConfiguration | undefined {
  return text ? (JSON.parse(text) as WebsiteConfiguration) : undefined;
}

/** The `<WebsiteConfiguration>` GetBucketWebsite answers, members in the model's order. */
export function websiteConfigurationXml(config: WebsiteConfiguration): XmlObject {
  const all = config.redirectAllRequestsTo;
  return {
    RedirectAllRequestsTo: all ? { HostName: all.hostName, Protocol: all.protocol } : undefined,
    IndexDocument: config.indexSuffix !== undefined ? { Suffix: config.indexSuffix } : undefined,
    ErrorDocument: config.errorDocumentKey !== undefined ? { Key: config.errorDocumentKey } : undefined,
    RoutingRules: config.routingRules
      ? {
          RoutingRule: config.routingRules.map((rule) => ({
            Condition: rule.condition
              ? { HttpErrorCodeReturnedEquals: rule.condition.httpErrorCodeReturnedEquals, KeyPrefixEquals: rule.condition.keyPrefixEquals }
              : undefined,
            Redirect: {
              HostName: rule.redirect.hostName,
              HttpRedirectCode: rule.redirect.httpRedirectCode,
              Protocol: rule.redirect.protocol,
              ReplaceKeyPrefixWith: rule.redirect.replaceKeyPrefixWith,
              ReplaceKeyWith: rule.redirect.replaceKeyWith,
            },
          })),
        }
      : undefined,
  };
}
