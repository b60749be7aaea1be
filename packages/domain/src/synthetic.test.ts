import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
  SYNTHETIC_COMPOUND_SURNAMES,
  SYNTHETIC_GIVEN_NAME_CHARS,
  SYNTHETIC_SURNAMES,
  createRng,
  syntheticBirthDate,
  syntheticIdNumber,
  syntheticMobile,
  syntheticName,
} from './synthetic';
import { parseIdNumber } from './id-number';
import { parsePhone } from './phone';
import { ageOn, formatIsoDate, fromDayNumber, toDayNumber } from './calendar';

const asOf = new Date('2025-06-01T00:00:00Z');

describe('createRng', () => {
  it('gives the same sequence for the same seed and different ones for different seeds', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), (seed) => {
        const a = createRng(seed);
        const b = createRng(seed);
        const sa = Array.from({ length: 20 }, () => a.next());
        const sb = Array.from({ length: 20 }, () => b.next());
        expect(sa).toEqual(sb);
        const c = createRng(seed + 1);
        expect(Array.from({ length: 20 }, () => c.next())).not.toEqual(sa);
      }),
      { numRuns: 50 },
    );
  });

  it('does not collapse for seed 0 and keeps next() in [0, 1)', () => {
    const rng = createRng(0);
    const values = Array.from({ length: 10_000 }, () => rng.next());
    expect(values.every((v) => v >= 0 && v < 1)).toBe(true);
    expect(new Set(values).size).toBeGreaterThan(9_990);
    const mean = values.reduce((s, v) => s + v, 0) / values.length;
    expect(mean).toBeGreaterThan(0.48);
    expect(mean).toBeLessThan(0.52);
  });

  it('int covers its whole inclusive range, evenly', () => {
    const rng = createRng(42);
    const counts = new Map<number, number>();
    for (let i = 0; i < 60_000; i++) {
      const v = rng.int(-2, 3);
      counts.set(v, (counts.get(v) ?? 0) + 1);
    }
    expect([...counts.keys()].sort((x, y) => x - y)).toEqual([-2, -1, 0, 1, 2, 3]);
    for (const n of counts.values()) {
      expect(n).toBeGreaterThan(9_400);
      expect(n).toBeLessThan(10_600);
    }
    expect(rng.int(7, 7)).toBe(7);
    expect(() => rng.int(3, 2)).toThrow(RangeError);
    expect(() => rng.int(0.5, 2)).toThrow(RangeError);
  });

  it('pick, weighted, chance and shuffle', () => {
    const rng = createRng(7);
    expect(() => rng.pick([])).toThrow(RangeError);
    expect(rng.pick(['only'])).toBe('only');

    const counts = { a: 0, b: 0, c: 0 };
    for (let i = 0; i < 30_000; i++) {
      counts[
        rng.weighted([
          ['a', 1],
          ['b', 2],
          ['c', 0],
        ] as const)
      ]++;
    }
    expect(counts.c).toBe(0);
    expect(counts.b / counts.a).toBeGreaterThan(1.85);
    expect(counts.b / counts.a).toBeLessThan(2.15);
    expect(() => rng.weighted([['x', 0]])).toThrow(RangeError);

    let heads = 0;
    for (let i = 0; i < 10_000; i++) if (rng.chance(0.25)) heads++;
    expect(heads).toBeGreaterThan(2_300);
    expect(heads).toBeLessThan(2_700);
    expect(rng.chance(0)).toBe(false);
    expect(rng.chance(1)).toBe(true);

    const arr = Array.from({ length: 20 }, (_, i) => i);
    const shuffled = rng.shuffle(arr);
    expect(shuffled).not.toEqual(arr);
    expect([...shuffled].sort((x, y) => x - y)).toEqual(arr);
  });

  it('rejects a non-finite seed', () => {
    expect(() => createRng(Number.NaN)).toThrow(RangeError);
  });
});

describe('syntheticName', () => {
  it('uses the surname and given-name lists', () => {
    const rng = createRng(1);
    const surnames = [...SYNTHETIC_COMPOUND_SURNAMES, ...SYNTHETIC_SURNAMES];
    for (let i = 0; i < 2_000; i++) {
      const name = syntheticName(rng);
      const surname = surnames.find((s) => name.startsWith(s)) ?? '';
      expect(surname).not.toBe('');
      const given = Array.from(name.slice(surname.length));
      expect(given.length).toBeGreaterThanOrEqual(1);
      expect(given.length).toBeLessThanOrEqual(2);
      for (const ch of given) expect(SYNTHETIC_GIVEN_NAME_CHARS).toContain(ch);
    }
  });

  it('has about 150 distinct given-name characters and no duplicate surnames', () => {
    expect(SYNTHETIC_GIVEN_NAME_CHARS.length).toBeGreaterThanOrEqual(140);
    expect(new Set(SYNTHETIC_SURNAMES).size).toBe(SYNTHETIC_SURNAMES.length);
  });

  it('generates 10,000 varied names quickly, with some compound surnames', () => {
    const rng = createRng(2025);
    const started = performance.now();
    const names = Array.from({ length: 10_000 }, () => syntheticName(rng));
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(new Set(names).size).toBeGreaterThan(3_000);
    const compound = names.filter((n) => SYNTHETIC_COMPOUND_SURNAMES.some((s) => n.startsWith(s)));
    expect(compound.length).toBeGreaterThan(50);
    expect(compound.length).toBeLessThan(600);
    const oneChar = names.filter((n) => Array.from(n).length === 2).length;
    expect(oneChar).toBeGreaterThan(2_000); // ~30% one-character given names
  });

  it('is deterministic per seed', () => {
    const a = createRng(99);
    const b = createRng(99);
    expect(Array.from({ length: 50 }, () => syntheticName(a))).toEqual(
      Array.from({ length: 50 }, () => syntheticName(b)),
    );
  });
});

describe('syntheticIdNumber', () => {
  const regionCode = fc.constantFrom('110105', '511922', '440305', '320106', '429004');
  const birthDate = fc
    .integer({
      min: toDayNumber({ year: 1900, month: 1, day: 1 }),
      max: toDayNumber({ year: 2025, month: 6, day: 1 }),
    })
    .map((n) => formatIsoDate(fromDayNumber(n)));
  const gender = fc.constantFrom('male' as const, 'female' as const);

  it('always passes parseIdNumber with the requested data', () => {
    fc.assert(
      fc.property(fc.integer(), regionCode, birthDate, gender, (seed, rc, bd, g) => {
        const id = syntheticIdNumber(createRng(seed), { regionCode: rc, birthDate: bd, gender: g });
        expect(parseIdNumber(id, { asOf })).toEqual({
          ok: true,
          idNumber: id,
          birthDate: bd,
          gender: g,
          regionCode: rc,
          convertedFrom15: false,
        });
        expect(id.slice(14, 17)).not.toBe('000');
      }),
    );
  });

  it('varies the sequence code', () => {
    const rng = createRng(3);
    const ids = Array.from({ length: 200 }, () =>
      syntheticIdNumber(rng, { regionCode: '110105', birthDate: '1980-01-01', gender: 'female' }),
    );
    expect(new Set(ids).size).toBeGreaterThan(150);
  });

  it('rejects bad input', () => {
    const rng = createRng(1);
    expect(() =>
      syntheticIdNumber(rng, { regionCode: '11010', birthDate: '1980-01-01', gender: 'male' }),
    ).toThrow(RangeError);
    expect(() =>
      syntheticIdNumber(rng, { regionCode: '110105', birthDate: '1980-02-30', gender: 'male' }),
    ).toThrow(RangeError);
    expect(() =>
      syntheticIdNumber(rng, { regionCode: '110105', birthDate: '1899-12-31', gender: 'male' }),
    ).toThrow(RangeError);
  });
});

describe('syntheticMobile', () => {
  it('always gives a valid, already normalized mobile number', () => {
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        const m = syntheticMobile(createRng(seed));
        expect(m).toMatch(/^1[3-9]\d{9}$/);
        expect(parsePhone(m)).toEqual({ ok: true, phone: m, kind: 'mobile' });
      }),
    );
  });

  it('varies', () => {
    const rng = createRng(5);
    expect(new Set(Array.from({ length: 1_000 }, () => syntheticMobile(rng))).size).toBe(1_000);
  });
});

describe('syntheticBirthDate', () => {
  it('gives an age within the requested range for any asOf, incl. leap days', () => {
    const asOfDay = fc
      .integer({
        min: toDayNumber({ year: 2000, month: 1, day: 1 }),
        max: toDayNumber({ year: 2040, month: 12, day: 31 }),
      })
      .map((n) => new Date(n * 86_400_000));
    const ages = fc
      .tuple(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 10 }))
      .map(([min, span]) => [min, min + span] as const);
    fc.assert(
      fc.property(fc.integer(), asOfDay, ages, (seed, day, [minAge, maxAge]) => {
        const bd = syntheticBirthDate(createRng(seed), { minAge, maxAge, asOf: day });
        const age = ageOn(bd, day);
        expect(age).toBeGreaterThanOrEqual(minAge);
        expect(age).toBeLessThanOrEqual(maxAge);
      }),
    );
  });

  it('reaches both ends of the range', () => {
    // asOf 2024-02-29 (Beijing): ages 18..18 allow births from 2005-03-01 to 2006-02-28.
    const leapDay = new Date('2024-02-29T04:00:00Z');
    const rng = createRng(11);
    const dates = new Set(
      Array.from({ length: 5_000 }, () =>
        syntheticBirthDate(rng, { minAge: 18, maxAge: 18, asOf: leapDay }),
      ),
    );
    expect(dates.size).toBe(365);
    expect([...dates].sort()[0]).toBe('2005-03-01');
    expect([...dates].sort().at(-1)).toBe('2006-02-28');
  });

  it('rejects a bad age range', () => {
    const rng = createRng(1);
    expect(() => syntheticBirthDate(rng, { minAge: 30, maxAge: 20, asOf })).toThrow(RangeError);
    expect(() => syntheticBirthDate(rng, { minAge: -1, maxAge: 20, asOf })).toThrow(RangeError);
  });
});
