import { Oid } from '../asn1/oids.js';
import type { Certificate } from '../x509/certificate.js';
import type { GeneralSubtree } from '../x509/extensions.js';
import { type GeneralName, formatGeneralName } from '../x509/general-name.js';

/** Why a name did not pass the constraints. @internal */
export interface NameConstraintViolation {
  readonly name: string;
  readonly reason: 'not-permitted' | 'excluded' | 'unsupported-form';
}

const SUPPORTED = new Set<GeneralName['type']>(['directoryName', 'rfc822Name', 'dNSName', 'uniformResourceIdentifier', 'iPAddress']);

function lower(s: string): string {
  return s.toLowerCase();
}

/** dNSName: the name equals the constraint or adds labels on its left (RFC 5280 §4.2.1.10). */
function dnsMatches(name: string, base: string): boolean {
  const n = lower(name).replace(/\.$/, '');
  let b = lower(base).replace(/\.$/, '');
  if (b === '') return true;
  if (b.startsWith('.')) return n.endsWith(b);
  return n === b || n.endsWith(`.${b}`);
}

/** rfc822Name: a mailbox, a host, or any host in a domain (leading period). */
function emailMatches(name: string, base: string): boolean {
  const at = name.lastIndexOf('@');
  if (at < 0) return false;
  const host = lower(name.slice(at + 1));
  if (base.includes('@')) {
    const bAt = base.lastIndexOf('@');
    return name.slice(0, at) === base.slice(0, bAt) && host === lower(base.slice(bAt + 1));
  }
  if (base.startsWith('.')) return host.endsWith(lower(base));
  return host === lower(base);
}

/** The host of a URI (RFC 3986 authority), or null when it has none. */
function uriHost(uri: string): string | null {
  const m = uri.match(/^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/([^/?#]*)/);
  if (!m) return null;
  let auth = m[1]!;
  const at = auth.lastIndexOf('@');
  if (at >= 0) auth = auth.slice(at + 1);
  if (auth.startsWith('[')) return auth.slice(1, auth.indexOf(']'));
  const colon = auth.indexOf(':');
  return colon >= 0 ? auth.slice(0, colon) : auth;
}

/** uniformResourceIdentifier: the constraint applies to the host part. */
function uriMatches(name: string, base: string): boolean {
  const host = uriHost(name);
  if (host === null || host === '') return false;
  const h = lower(host);
  if (base.startsWith('.')) return h.endsWith(lower(base));
  return h === lower(base);
}

/** iPAddress: address and mask of the same family (4+4 or 16+16 octets). */
function ipMatches(name: Uint8Array, base: Uint8Array): boolean {
  if (base.length !== name.length * 2) return false;
  for (let i = 0; i < name.length; i++) {
    const mask = base[name.length + i]!;
    if ((name[i]! & mask) !== (base[i]! & mask)) return false;
  }
  return true;
}

/** True when `name` lies within `base` (both of the same form). @internal */
export function nameMatchesSubtree(name: GeneralName, base: GeneralName): boolean {
  if (name.type !== base.type) return false;
  switch (name.type) {
    case 'directoryName':
      return name.name.isWithin((base as typeof name).name);
    case 'dNSName':
      return dnsMatches(name.value, (base as typeof name).value);
    case 'rfc822Name':
      return emailMatches(name.value, (base as typeof name).value);
    case 'uniformResourceIdentifier':
      return uriMatches(name.value, (base as typeof name).value);
    case 'iPAddress':
      return ipMatches(name.bytes, (base as typeof name).bytes);
    default:
      return false;
  }
}

/**
 * The permitted_subtrees / excluded_subtrees state of RFC 5280 §6.1.2(b)–(c). Rather than
 * computing intersections of permitted subtrees (§6.1.4(g)(1)), each CA's permitted set is kept
 * and a name must satisfy every set that constrains its form, which is equivalent.
 * @internal
 */
export class NameConstraintsState {
  private readonly permittedSets: (readonly GeneralSubtree[])[] = [];
  private readonly excluded: GeneralSubtree[] = [];

  /** §6.1.4(g): adds a CA certificate's nameConstraints. */
  add(cert: Certificate): void {
    const nc = cert.nameConstraints;
    if (!nc) return;
    if (nc.permitted) this.permittedSets.push(nc.permitted);
    if (nc.excluded) this.excluded.push(...nc.excluded);
  }

  get isEmpty(): boolean {
    return this.permittedSets.length === 0 && this.excluded.length === 0;
  }

  /** §6.1.3(b)–(c): checks the subject DN, emailAddress attributes and subjectAltName of `cert`. */
  check(cert: Certificate): NameConstraintViolation[] {
    if (this.isEmpty) return [];
    const names: GeneralName[] = [];
    if (!cert.subject.isEmpty) names.push({ type: 'directoryName', name: cert.subject });
    // RFC 5280 §4.2.1.10: emailAddress attributes in the subject are checked as rfc822Name.
    for (const email of cert.subject.get(Oid.emailAddress)) names.push({ type: 'rfc822Name', value: email });
    names.push(...(cert.subjectAltName ?? []));
    const out: NameConstraintViolation[] = [];
    for (const name of names) {
      const v = this.checkName(name);
      if (v) out.push(v);
    }
    return out;
  }

  private checkName(name: GeneralName): NameConstraintViolation | null {
    const text = formatGeneralName(name);
    const constrains = (s: GeneralSubtree) => s.base.type === name.type;
    if (!SUPPORTED.has(name.type)) {
      // RFC 5280 §4.2.1.10: a constrained form we cannot process means rejection.
      const constrained = this.excluded.some(constrains) || this.permittedSets.some((set) => set.some(constrains));
      return constrained ? { name: text, reason: 'unsupported-form' } : null;
    }
    for (const set of this.permittedSets) {
      const relevant = set.filter(constrains);
      if (relevant.length > 0 && !relevant.some((s) => nameMatchesSubtree(name, s.base))) return { name: text, reason: 'not-permitted' };
    }
    if (this.excluded.some((s) => constrains(s) && nameMatchesSubtree(name, s.base))) return { name: text, reason: 'excluded' };
    return null;
  }
}
