// The surface of a message the learned scorer reads beside the concepts: trigrams of Lao and Thai without
// tone marks, folded Latin words and their pairs; and the way back from a piece to the words it came from.
import { describe, expect, it } from 'vitest';
import { gramEvidence, gramsOf, gramValue, taiWithMap } from '../../src/understand/grams.ts';
import { prepareScript } from '../../src/understand/normalize.ts';

describe('gramsOf', () => {
  it('reads Lao and Thai as letter trigrams of one alphabet, with or without tone marks', () => {
    const lao = gramsOf(prepareScript('ຂັງໄວ້'));
    expect(lao).toEqual(['s:^ขง', 's:ขงไ', 's:งไว', 's:ไว$']);
    expect(gramsOf(prepareScript('ຂັງໄວ'))).toEqual(lao);
    // Thai "ขังไว้" (locked up) is the same word as Lao "ຂັງໄວ້", so the same pieces.
    expect(gramsOf(prepareScript('ขังไว้'))).toEqual(lao);
    // Thai letters Lao writes with one letter, and Lao ligatures: รถ and ລົດ share their last letter at least.
    expect(taiWithMap('ช่วยด้วย').tai).toBe(taiWithMap('ຊ່ວຍດ້ວຍ').tai);
    expect(taiWithMap('ໜີ').tai).toBe('หนี');
    expect(taiWithMap('เจ็บ').tai).toBe(taiWithMap('ເຈັບ').tai);
  });

  it('keeps for each letter of the shared alphabet its place in the text', () => {
    const { tai, map } = taiWithMap('ໜີ ok');
    expect(tai).toBe('หนี ok');
    expect(map).toEqual([0, 0, 1, 2, 3, 4]);
  });

  it('reads Latin letters as folded words and word pairs, so spellings of one word meet', () => {
    expect(gramsOf(prepareScript('Xuay dae'))).toEqual(['w:suai', 'w:dae', 'b:suai dae']);
    expect(gramsOf(prepareScript('suay dae'))).toEqual(gramsOf(prepareScript('xuay dae')));
  });

  it('has nothing for emoji or digits alone', () => {
    expect(gramsOf(prepareScript('😭😭 112'))).toEqual([]);
  });

  it('weighs each piece of a long message less', () => {
    expect(gramValue(10)).toBe(0.5);
    expect(gramValue(80)).toBe(0.25);
  });
});

describe('gramEvidence', () => {
  it('gives back the Latin words as written', () => {
    const text = prepareScript('he WONT stop the van, xuay dae');
    expect(gramsOf(text)).toContain('b:vont stop');
    expect(gramEvidence(text, 'b:vont stop')).toBe('wont stop');
    expect(gramEvidence(text, 'w:suai')).toBe('xuay');
  });

  it('gives back the run of Lao letters around a trigram, tone marks and all', () => {
    const text = prepareScript('ລົງລົດໄດ້ແຕ່ຕອນເຂົາສັ່ງ ບໍ່ຮູ້ຢູ່ໃສ');
    const evidence = gramEvidence(text, 's:สง');
    expect(evidence).toContain('ສັ່ງ');
    expect(text).toContain(evidence);
    expect(evidence?.includes(' ')).toBe(false);
  });

  it('gives nothing for a piece the text does not hold', () => {
    expect(gramEvidence(prepareScript('hello'), 'w:door')).toBeUndefined();
  });
});
