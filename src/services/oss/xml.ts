// XML for OSS: its answers (through the one writer, model/xml.ts), and a small strict reader for
// the request bodies OSS takes (Delete, CompleteMultipartUpload, CreateBucketConfiguration, CORS,
// lifecycle and tagging documents…). A body that is not well-formed, or whose root is not the
// document the operation takes, is MalformedXML (readDocument).
import { xmlDocument, type XmlValue } from '../../model/index.js';
import { OssErrors } from './errors.js';

export type { XmlValue };

/** An OSS answer: the declaration on a line of its own, as OSS writes it. */
export function renderXml(root: string, body: { [k: string]: XmlValue }): string {
  return xmlDocument(root, body, '\n');
}

/** A 200 with an XML document, the form most OSS answers take. */
export function xmlAnswer(root: string, body: { [k: string]: XmlValue }) {
  return { status: 200, headers: { 'content-type': 'application/xml' }, body: renderXml(root, body) };
}

export interface XmlNode {
  name: string;
  children: XmlNode[];
  text: string;
}

export class XmlSyntaxError extends Error {}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** XML 1.0's Char production: what a character reference may name. */
function isXmlChar(cp: number): boolean {
  return cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);
}

function decodeText(t: string): string {
  return t.replace(/&(#x[0-9a-fA-F]+|#\d+|amp|lt|gt|quot|apos);/g, (_m, e: string) => {
    if (!e.startsWith('#')) return ENTITIES[e] ?? '';
    const cp = e.startsWith('#x') ? parseInt(e.slice(2), 16) : Number(e.slice(1));
    if (!isXmlChar(cp)) throw new XmlSyntaxError(`&${e}; names no character`);
    return String.fromCodePoint(cp);
  });
}

/** Parses elements and text (no attributes kept, no DTDs). */
export function parseXml(text: string): XmlNode {
  let i = 0;
  const s = text.replace(/^\uFEFF/, '');
  const skipSpace = () => {
    while (i < s.length && /\s/.test(s[i] ?? '')) i++;
  };
  skipSpace();
  if (s.startsWith('<?xml', i)) {
    const end = s.indexOf('?>', i);
    if (end < 0) throw new XmlSyntaxError('unterminated declaration');
    i = end + 2;
  }
  const parseElement = (depth: number): XmlNode => {
    if (depth > 32) throw new XmlSyntaxError('too deep');
    skipSpace();
    const open = /^<([A-Za-z_][\w.-]*)(\s[^<>]*)?(\/?)>/.exec(s.slice(i));
    if (!open) throw new XmlSyntaxError(`expected an element at ${i}`);
    const name = open[1] ?? '';
    i += open[0].length;
    const node: XmlNode = { name, children: [], text: '' };
    if (open[3] === '/') return node;
    for (;;) {
      const lt = s.indexOf('<', i);
      if (lt < 0) throw new XmlSyntaxError(`unclosed <${name}>`);
      node.text += decodeText(s.slice(i, lt));
      i = lt;
      if (s.startsWith(`</${name}>`, i)) {
        i += name.length + 3;
        return node;
      }
      if (s.startsWith('</', i)) throw new XmlSyntaxError(`mismatched closing tag in <${name}>`);
      if (s.startsWith('<!--', i)) {
        const end = s.indexOf('-->', i);
        if (end < 0) throw new XmlSyntaxError('unterminated comment');
        i = end + 3;
        continue;
      }
      if (s.startsWith('<!', i) || s.startsWith('<?', i)) throw new XmlSyntaxError('declarations are not accepted');
      node.children.push(parseElement(depth + 1));
    }
  };
  const root = parseElement(0);
  skipSpace();
  if (i !== s.length) throw new XmlSyntaxError('content after the root element');
  return root;
}

export const child = (n: XmlNode, name: string): XmlNode | undefined => n.children.find((c) => c.name === name);
export const children = (n: XmlNode, name: string): XmlNode[] => n.children.filter((c) => c.name === name);

/** A request body's document, whose root must be `root`; anything else is MalformedXML. */
export function readDocument(text: string, root: string): XmlNode {
  let doc: XmlNode;
  try {
    doc = parseXml(text);
  } catch (e) {
    if (e instanceof XmlSyntaxError) throw OssErrors.malformedXml();
    throw e;
  }
  if (doc.name !== root) throw OssErrors.malformedXml();
  return doc;
}
