// Untrusted SAML XML, read strictly: any complaint of the parser refuses the document (xmldom is
// lenient and would otherwise guess at broken markup), and no DOCTYPE reaches it at all, so no
// entity, internal or external, is ever declared or expanded (XXE, "billion laughs").
import { createRequire } from 'node:module';

/**
 * The little of the DOM read here, as xmldom's nodes have it. Declared rather than imported:
 * xmldom's typings pull the browser DOM library into the whole program (and with it the DOM's
 * fetch types over Node's).
 */
export interface XNode {
  readonly nodeType: number;
  readonly firstChild: XNode | null;
  readonly nextSibling: XNode | null;
  readonly parentNode: XNode | null;
}

export interface XElement extends XNode {
  readonly namespaceURI: string | null;
  readonly localName: string;
  hasAttribute(name: string): boolean;
  getAttribute(name: string): string | null;
}

interface XCharacterData extends XNode {
  readonly data: string;
}

interface XDocument extends XNode {
  readonly documentElement: XElement | null;
}

interface DomParser {
  parseFromString(text: string, mimeType: string): XDocument;
}

const { DOMParser } = createRequire(import.meta.url)('@xmldom/xmldom') as {
  DOMParser: new (options: { errorHandler: (level: string, msg: unknown) => void }) => DomParser;
};

export const NS = {
  assertion: 'urn:oasis:names:tc:SAML:2.0:assertion',
  protocol: 'urn:oasis:names:tc:SAML:2.0:protocol',
  metadata: 'urn:oasis:names:tc:SAML:2.0:metadata',
  dsig: 'http://www.w3.org/2000/09/xmldsig#',
} as const;

/** The document is not XML we read: malformed, or declaring a DTD. */
export class XmlRefused extends Error {}

/** Anywhere in the text, even inside a comment or CDATA: no legitimate SAML message has one. */
const DTD = /<!\s*(DOCTYPE|ENTITY)/i;
const DOCUMENT_TYPE_NODE = 10;
const ELEMENT_NODE = 1;
const TEXT_NODE = 3;
const CDATA_SECTION_NODE = 4;
const MAX_DEPTH = 64;

/** The document element of `text`, or XmlRefused. */
export function parseStrictXml(text: string): XElement {
  if (DTD.test(text)) throw new XmlRefused('a DOCTYPE or ENTITY declaration is not accepted');
  const problems: string[] = [];
  const doc = new DOMParser({ errorHandler: (level: string, msg: unknown) => void problems.push(`${level}: ${String(msg).replace(/^\[xmldom \w+\]\s*/, '')}`) }).parseFromString(text, 'text/xml');
  if (problems.length > 0) throw new XmlRefused(`the XML is malformed (${problems[0]?.split('\n')[0] ?? ''})`);
  for (let n = doc.firstChild; n !== null; n = n.nextSibling) {
    if (n.nodeType === DOCUMENT_TYPE_NODE) throw new XmlRefused('a DOCTYPE declaration is not accepted');
  }
  const root = doc.documentElement;
  if (root === null) throw new XmlRefused('the document has no element');
  // SAML nests a dozen levels; canonicalization (xml-crypto) recurses, so depth is bounded first.
  walkElements(root, (_el, depth) => {
    if (depth > MAX_DEPTH) throw new XmlRefused(`elements are nested deeper than ${MAX_DEPTH} levels`);
  });
  return root;
}

export const isElement = (n: XNode, ns: string, local: string): n is XElement =>
  n.nodeType === ELEMENT_NODE && (n as XElement).namespaceURI === ns && (n as XElement).localName === local;

/** The element children of `parent` named {ns}local, in document order. */
export function children(parent: XElement, ns: string, local: string): XElement[] {
  const out: XElement[] = [];
  for (let n = parent.firstChild; n !== null; n = n.nextSibling) if (isElement(n, ns, local)) out.push(n);
  return out;
}

/** Every element under `root` (itself included) named {ns}local. */
export function descendants(root: XElement, ns: string, local: string): XElement[] {
  const out: XElement[] = [];
  walkElements(root, (el) => void (isElement(el, ns, local) && out.push(el)));
  return out;
}

/** Every element under `root` (itself included), in document order, with its depth; no recursion. */
function walkElements(root: XElement, visit: (el: XElement, depth: number) => void): void {
  const stack: { el: XElement; depth: number }[] = [{ el: root, depth: 0 }];
  for (let top = stack.pop(); top !== undefined; top = stack.pop()) {
    visit(top.el, top.depth);
    const kids: XElement[] = [];
    for (let c = top.el.firstChild; c !== null; c = c.nextSibling) if (c.nodeType === ELEMENT_NODE) kids.push(c as XElement);
    for (let i = kids.length - 1; i >= 0; i--) stack.push({ el: kids[i] as XElement, depth: top.depth + 1 });
  }
}

/**
 * The element's own text (its text and CDATA children), trimmed. Comments are not text: a value
 * is never cut at a comment, which is how `alice@evil.com<!---->.example.com` once fooled SAML
 * readers that took the first text node only.
 */
export function textOf(el: XElement): string {
  let text = '';
  for (let n = el.firstChild; n !== null; n = n.nextSibling) {
    if (n.nodeType === TEXT_NODE || n.nodeType === CDATA_SECTION_NODE) text += (n as XCharacterData).data;
  }
  return text.trim();
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/**
 * The UTF-8 text a base64 value carries, or undefined when it is not base64 of UTF-8. Line breaks
 * and spaces are allowed (IdPs and tools wrap base64 at 64 or 76 characters).
 */
export function base64Utf8(value: string): string | undefined {
  const compact = value.replace(/\s+/g, '');
  if (compact.length === 0 || compact.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) return undefined;
  try {
    return utf8.decode(Buffer.from(compact, 'base64'));
  } catch {
    return undefined;
  }
}

/** An attribute without a namespace, or undefined when absent. */
export function attr(el: XElement, name: string): string | undefined {
  return el.hasAttribute(name) ? el.getAttribute(name) ?? undefined : undefined;
}
