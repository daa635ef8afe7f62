// IMS identity-provider parameters, with the limits the real API documents (the models of
// @alicloud/ims20190815 2.3.2 and the API reference) and RAM's InvalidParameter.<Field>.<Why> codes.
import { custom, integer, string, type ParamSpec } from '../params.js';
import { ramInvalid as invalid } from '../ram/errors.js';
import { MetadataRefused, readIdpMetadata } from '../../auth/saml/index.js';

/**
 * OIDCProviderName / SAMLProviderName: up to 128 letters, digits, '.', '-', '_', neither starting
 * nor ending with one of the three. [U] ROS's pattern asks for two characters at least; the API
 * reference names no minimum, so one letter is taken.
 */
export const providerName = () =>
  string({ min: 1, max: 128, pattern: /^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$/, patternText: "letters, digits, '.', '-' and '_', not first or last", invalid });

/** Description / NewDescription of an OIDC provider: up to 256 characters; empty clears it. */
export const oidcDescription = () => string({ min: 0, max: 256, invalid });
/** [U] The SAML API names no limit for a description; the OIDC one is taken. */
export const samlDescription = () => string({ min: 0, max: 256, invalid });

/** IssuanceLimitTime: hours, 1 to 168. */
export const issuanceLimitTime = () => integer({ min: 1, max: 168, invalid });
/** [U] The API names no default; the documented examples all show 12. */
export const DEFAULT_ISSUANCE_LIMIT_TIME = 12;

export const MAX_CLIENT_IDS = 50;
export const MAX_FINGERPRINTS = 5;

/**
 * IssuerUrl: https, a valid URL of at most 255 characters, without a query (?), user information
 * (@) or fragment (#).
 */
export const issuerUrl = () =>
  custom((raw, name) => {
    if ([...raw].length > 255) throw invalid(name, 'the length must be at most 255', 'length');
    if (!/^https:\/\/[^\s?#@]+$/.test(raw)) throw invalid(name, 'it must be an https URL without a query, user information or fragment', 'format');
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw invalid(name, 'it is not a valid URL', 'format');
    }
    if (url.hostname === '') throw invalid(name, 'it names no host', 'format');
    return raw;
  });

/**
 * A client ID: up to 128 letters, digits, '.', '-', '_', ':', '/', not starting with one of
 * those. (Older references said 64; the 2.3.2 model says 128.)
 */
const CLIENT_ID = /^[A-Za-z0-9][A-Za-z0-9._:\/-]{0,127}$/;
/** A fingerprint: up to 128 letters and digits (a SHA-1 fingerprint in hex is 40). */
const FINGERPRINT = /^[A-Za-z0-9]{1,128}$/;

function one(pattern: RegExp, what: string): ParamSpec<string> {
  return custom((raw, name) => {
    if (raw.length > 128) throw invalid(name, 'the length must be at most 128', 'length');
    if (!pattern.test(raw)) throw invalid(name, `it is not a valid ${what}`, 'chars');
    return raw;
  });
}

/**
 * A comma-separated list (ClientIds, Fingerprints) read into its items. An empty value is the
 * empty list: UpdateOIDCProvider's ClientIds="" removes every client ID (Terraform sends an empty
 * set that way). [U] An item named twice is refused rather than silently merged. How many a
 * provider may have is the handler's to check (LimitExceeded), as for the ones added later.
 */
function list(pattern: RegExp, what: string, sameKey: (s: string) => string): ParamSpec<string[]> {
  return custom((raw, name) => {
    if (raw === '') return [];
    const items = raw.split(',');
    const seen = new Set<string>();
    for (const item of items) {
      if (item.length > 128) throw invalid(name, 'each item may be at most 128 characters long', 'length');
      if (!pattern.test(item)) throw invalid(name, `"${item}" is not a valid ${what}`, 'chars');
      const key = sameKey(item);
      if (seen.has(key)) throw invalid(name, `"${item}" is given twice`, 'format');
      seen.add(key);
    }
    return items;
  });
}

/**
 * Client IDs are the audiences tokens must name exactly; fingerprints are hex digests, the same
 * in either case.
 */
export const sameClientId = (s: string): string => s;
export const sameFingerprint = (s: string): string => s.toLowerCase();

export const clientId = () => one(CLIENT_ID, 'client ID');
export const fingerprint = () => one(FINGERPRINT, 'fingerprint');
export const clientIds = () => list(CLIENT_ID, 'client ID', sameClientId);
export const fingerprints = () => list(FINGERPRINT, 'fingerprint', sameFingerprint);

/** [U] ROS bounds EncodedSAMLMetadataDocument at 102,400 characters; the API names no limit. */
export const MAX_ENCODED_METADATA = 102_400;

/** EncodedSAMLMetadataDocument: base64 SAML 2.0 IdP metadata that can admit someone (STS reads it the same way). */
export const samlMetadata = () =>
  custom((raw, name) => {
    if (raw.length > MAX_ENCODED_METADATA) throw invalid(name, `the length must be at most ${MAX_ENCODED_METADATA}`, 'length');
    try {
      readIdpMetadata(raw);
    } catch (e) {
      if (e instanceof MetadataRefused) throw invalid(name, e.message, 'format');
      throw e;
    }
    return raw;
  });
