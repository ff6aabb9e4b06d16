import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '@kyso/core';
import { CmsError } from '@kyso/cms';
import { children, intNum, intUnsigned, oid, parseOne, readOctetString, readOid, readSmallInt, readTime, readTlv, setOf, time } from '../../src/asn1/der.js';

describe('DER writer', () => {
  it('encodes OIDs, including large arcs', () => {
    expect(toHex(oid('1.2.840.113549.1.7.2'))).toBe('06092a864886f70d010702');
    expect(toHex(oid('2.16.840.1.101.3.4.2.1'))).toBe('0609608648016503040201');
    expect(readOid(parseOne(oid('1.3.6.1.4.1.311.2.1.21')))).toBe('1.3.6.1.4.1.311.2.1.21');
  });
  it('encodes INTEGERs with a sign octet only when needed', () => {
    expect(toHex(intNum(0))).toBe('020100');
    expect(toHex(intNum(128))).toBe('02020080');
    expect(toHex(intUnsigned(fromHex('0000ff01')))).toBe('020300ff01');
    expect(readSmallInt(parseOne(fromHex('0201ff')))).toBe(-1);
  });
  it('sorts SET OF by encoding (X.690 §11.6)', () => {
    expect(toHex(setOf([fromHex('0402bbbb'), fromHex('0401aa'), fromHex('0201ff')]))).toBe('310a0201ff0401aa0402bbbb');
  });
  it('uses UTCTime until 2049 and GeneralizedTime from 2050 (RFC 5652 §11.3)', () => {
    expect(new TextDecoder().decode(time(new Date('2026-12-01T08:09:10Z')).subarray(2))).toBe('261201080910Z');
    expect(time(new Date('2050-01-01T00:00:00Z'))[0]).toBe(0x18);
    expect(readTime(parseOne(time(new Date('2049-12-31T23:59:59Z')))).toISOString()).toBe('2049-12-31T23:59:59.000Z');
  });
});

describe('BER reader', () => {
  it('reads indefinite lengths and constructed OCTET STRINGs', () => {
    // SEQUENCE (indefinite) { OCTET STRING (constructed, indefinite) { 'ab', 'cd' } }
    const ber = fromHex('3080' + '2480' + '0401ab' + '0401cd' + '0000' + '0000');
    const seq = parseOne(ber);
    expect(seq.indefinite).toBe(true);
    expect(toHex(readOctetString(children(seq)[0]!))).toBe('abcd');
  });
  it('rejects truncation and over-long lengths with CmsError', () => {
    expect(() => readTlv(fromHex('3005020101'))).toThrow(CmsError);
    expect(() => readTlv(fromHex('30'))).toThrow(CmsError);
    expect(() => readTlv(fromHex('3080020101'))).toThrow(/unterminated/);
    expect(() => parseOne(fromHex('0500ff'))).toThrow(/trailing/);
  });
});
