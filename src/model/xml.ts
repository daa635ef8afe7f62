// The one XML writer: answers of the RPC gateway (Format=XML) and of OSS. Objects become elements,
// arrays repeated elements named by their key (<Users><User/><User/></Users>), everything else
// escaped text; undefined and null are left out.

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
export const escapeXml = (t: string): string => t.replace(/[&<>"']/g, (c) => ESC[c] ?? c);

export type XmlValue = string | number | boolean | undefined | null | XmlValue[] | { [k: string]: XmlValue } | object;

function element(name: string, value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.map((v) => element(name, v)).join('');
  if (typeof value === 'object') return `<${name}>${Object.entries(value).map(([k, v]) => element(k, v)).join('')}</${name}>`;
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

/** A document: the declaration, then the root element (OSS puts a line break between them). */
export function xmlDocument(root: string, body: Readonly<Record<string, unknown>>, afterDeclaration = ''): string {
  return `<?xml version="1.0" encoding="UTF-8"?>${afterDeclaration}${element(root, body)}`;
}
