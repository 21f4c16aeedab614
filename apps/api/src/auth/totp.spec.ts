import { newTotpSecret, totpCode, totpTimeStep, totpUri } from './totp';

// RFC 6238 appendix B: the SHA-1 seed is the ASCII "12345678901234567890"; its codes end in these 6 digits.
const RFC_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';

describe('TOTP', () => {
  it.each([
    ['1970-01-01T00:00:59Z', '287082'],
    ['2005-03-18T01:58:29Z', '081804'],
    ['2009-02-13T23:31:30Z', '005924'],
    ['2033-05-18T03:33:20Z', '279037'],
  ])('gives the RFC 6238 code at %s', async (at, code) => {
    expect(await totpCode(RFC_SECRET, new Date(at))).toBe(code);
  });

  it('accepts a code in its own 30-second step and one step either side, and names that step', async () => {
    const at = new Date('2009-02-13T23:31:30Z'); // step 41152263
    expect(await totpTimeStep(RFC_SECRET, '005924', at)).toBe(41152263);
    expect(await totpTimeStep(RFC_SECRET, '005924', new Date(at.getTime() + 29_000))).toBe(41152263);
    expect(await totpTimeStep(RFC_SECRET, '005924', new Date(at.getTime() - 30_000))).toBe(41152263);
    expect(await totpTimeStep(RFC_SECRET, '005924', new Date(at.getTime() + 60_000))).toBeNull();
    expect(await totpTimeStep(RFC_SECRET, '005925', at)).toBeNull();
    expect(await totpTimeStep(RFC_SECRET, '5924', at)).toBeNull();
  });

  it('makes 160-bit Base32 secrets that round-trip through a code', async () => {
    const secret = newTotpSecret();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    const at = new Date('2026-12-01T10:00:00Z');
    expect(await totpTimeStep(secret, await totpCode(secret, at), at)).toBe(Math.floor(at.getTime() / 30_000));
  });

  it('writes the otpauth URI authenticator apps read', () => {
    expect(totpUri('MT Ink Dashboard', 'ana@example.com', RFC_SECRET)).toBe(
      `otpauth://totp/MT%20Ink%20Dashboard:ana%40example.com?secret=${RFC_SECRET}&issuer=MT%20Ink%20Dashboard`,
    );
  });
});
