// CRC-64/ECMA-182 as OSS computes it (x-oss-hash-crc64ecma, and an upload callback's ${crc64}):
// the reflected polynomial 0xC96C5795D7870F42, all bits set at the start and flipped at the end
// (the parameters called CRC-64/XZ; "123456789" gives 0x995DC9BBDF1939FA). The 64-bit register is
// kept as two 32-bit halves, so a byte costs a table look-up and a few shifts, not BigInt work.
import type { Readable } from 'node:stream';

const POLY_HI = 0xc96c5795;
const POLY_LO = 0xd7870f42;

const [TABLE_HI, TABLE_LO] = (() => {
  const hi = new Uint32Array(256);
  const lo = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let h = 0;
    let l = n;
    for (let bit = 0; bit < 8; bit++) {
      const carry = l & 1;
      l = ((l >>> 1) | ((h & 1) << 31)) >>> 0;
      h = h >>> 1;
      if (carry) {
        h = (h ^ POLY_HI) >>> 0;
        l = (l ^ POLY_LO) >>> 0;
      }
    }
    hi[n] = h;
    lo[n] = l;
  }
  return [hi, lo];
})();

export class Crc64 {
  #hi = 0xffffffff;
  #lo = 0xffffffff;

  update(bytes: Uint8Array): this {
    let hi = this.#hi;
    let lo = this.#lo;
    for (const b of bytes) {
      const i = (lo ^ b) & 0xff;
      lo = (((lo >>> 8) | (hi << 24)) ^ (TABLE_LO[i] ?? 0)) >>> 0;
      hi = ((hi >>> 8) ^ (TABLE_HI[i] ?? 0)) >>> 0;
    }
    this.#hi = hi;
    this.#lo = lo;
    return this;
  }

  /** The value as OSS writes it: an unsigned decimal. */
  digest(): string {
    return ((BigInt((this.#hi ^ 0xffffffff) >>> 0) << 32n) | BigInt((this.#lo ^ 0xffffffff) >>> 0)).toString();
  }
}

export async function crc64OfStream(stream: Readable): Promise<string> {
  const crc = new Crc64();
  for await (const chunk of stream) crc.update(chunk as Buffer);
  return crc.digest();
}
