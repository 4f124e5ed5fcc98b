// The learned scorer: it only raises, only with a reason it can name, never for a text about others; and
// what training measures is exactly what assess() does.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../src/content/index.ts';
import { createAssessor } from '../../src/understand/assess.ts';
import { loadLexicon, loadModel } from '../../src/understand/lexicon.ts';
import { digestOf, featureNames, probability, storedModelSchema, storedModelText, type Model } from '../../src/understand/model.ts';
import { trainingData } from '../../src/understand/sets.ts';
import { decide, examplesOf, fitHead, scored, thresholdsOf, type Example } from '../../src/understand/train.ts';

const lexicon = loadLexicon(join(ROOT, 'data'));
const rulesOnly = createAssessor(lexicon);

function modelWith(urgent: Partial<Model['urgent']>, high: Partial<Model['high']> = {}, kinds: Model['kinds'] = {}): Model {
  return {
    digest: 'test',
    trainedOn: ['test'],
    examples: 1,
    crossValidation: { highRecall: 0, urgentRecall: 0, benignLow: 0 },
    urgent: { bias: -10, threshold: 0.5, sureThreshold: 0.9, bareThreshold: 1, weights: {}, ...urgent },
    high: { bias: -10, threshold: 0.5, sureThreshold: 0.9, bareThreshold: 1, weights: {}, ...high },
    kinds,
  };
}

describe('model', () => {
  it('adds up weights into a probability', () => {
    expect(probability({ bias: 0, weights: {} }, [])).toBe(0.5);
    expect(probability({ bias: -1, weights: { 'c:a': 1 } }, ['c:a', 'c:unknown'])).toBe(0.5);
    expect(featureNames(['sold'], ['guard'])).toEqual(['f:sold', 'c:guard']);
    // Pieces of text count less in a long message: 80 pieces count half each.
    const grams = Array.from({ length: 80 }, (_, i) => `w:x${i}`);
    expect(probability({ bias: -10, weights: { 'w:x0': 40 } }, [], grams)).toBe(0.5);
  });

  it('keeps model.json compact and reads back what it wrote', () => {
    const model = modelWith({ bias: -1.5, weights: { 'c:guard': 1.234, 's:กก$': -0.5 } }, { weights: { 'w:door': 0.25 } }, { confinement: { bias: -2, weights: { 'c:guard': 2 } } });
    const text = storedModelText(model);
    expect(text.match(/"s:กก\$"/g)).toHaveLength(1);
    expect(storedModelSchema.parse(JSON.parse(text))).toEqual(model);
  });

  it('refuses a model.json whose heads do not match its vocabulary', () => {
    const text = JSON.parse(storedModelText(modelWith({ weights: { 'c:guard': 1 } }))) as { urgent: { weights: number[] } };
    text.urgent.weights.push(5);
    const parsed = storedModelSchema.safeParse(text);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toMatch(/2 weights for 1 features/);
  });

  it('digests what it was trained from, whatever the order', () => {
    const a = { name: 'a', text: '1' };
    const b = { name: 'b', text: '2' };
    expect(digestOf([a, b])).toBe(digestOf([b, a]));
    expect(digestOf([a, b])).not.toBe(digestOf([a, { name: 'b', text: '3' }]));
  });
});

describe('assess with a learned scorer', () => {
  const guards = 'there are guards on every floor, they check the rooms at night';

  it('raises a crisis the rules missed, naming the concept that shows it', () => {
    expect(rulesOnly.assess(guards).urgent).toBe(false);
    const a = createAssessor(lexicon, modelWith({ bias: 0, weights: { 'c:guard': 5 } })).assess(guards);
    expect(a).toMatchObject({ risk: 'high', urgent: true });
    expect(a.flags).toContainEqual({ id: 'confinement', evidence: 'guards' });
  });

  it('never lowers what the rules found', () => {
    const text = 'they locked us in the room, please help me';
    const a = createAssessor(lexicon, modelWith({ bias: -50 }, { bias: -50 })).assess(text);
    expect(a).toEqual(rulesOnly.assess(text));
    expect(a.urgent).toBe(true);
  });

  it('names a generic concept as its reason only when it is surer', () => {
    const text = 'they took our phones on the first day';
    const head = (bias: number) => modelWith({ bias, weights: { 'c:phone': 1 }, threshold: 0.5, sureThreshold: 0.9 });
    // p ≈ 0.73: enough for a specific reason, not for a generic one such as "phone".
    expect(createAssessor(lexicon, head(0)).assess(text).urgent).toBe(false);
    // p ≈ 0.95: sure enough.
    const sure = createAssessor(lexicon, head(2)).assess(text);
    expect(sure.urgent).toBe(true);
    expect(sure.flags).toContainEqual({ id: 'confinement', evidence: 'phones' });
  });

  const van = 'the driver said free ride home but now he drives the other way and wont stop the van';

  it('raises with no concept to name only when surer still, naming the flag its kind heads find likeliest', () => {
    expect(rulesOnly.assess(van).urgent).toBe(false);
    const kinds: Model['kinds'] = {
      confinement: { bias: -1, weights: { 'b:vont stop': 3, 'w:van': 1, 'w:the': -1 } },
      sold: { bias: -1, weights: { 'w:home': 0.5 } },
    };
    const atBare = (bareThreshold: number) => createAssessor(lexicon, modelWith({ bias: -1, weights: { 'b:vont stop': 40 }, bareThreshold }, {}, kinds)).assess(van);
    expect(atBare(1).urgent).toBe(false);
    const raised = atBare(0.6);
    expect(raised).toMatchObject({ risk: 'high', urgent: true });
    // The two pieces that weigh most for the flag, strongest first.
    expect(raised.flags).toContainEqual({ id: 'confinement', evidence: 'wont stop … van' });
  });

  it('shows the Lao words a piece of text came from as the evidence of a bare raise', () => {
    const text = 'ລົງລົດໄດ້ແຕ່ຕອນເຂົາສັ່ງ';
    const kinds: Model['kinds'] = { confinement: { bias: 0, weights: { 's:สง$': 2 } } };
    const a = createAssessor(lexicon, modelWith({ bias: 0, weights: { 's:สง$': 40 }, bareThreshold: 0.6 }, {}, kinds)).assess(text);
    expect(a.urgent).toBe(true);
    expect(a.flags.find((f) => f.id === 'confinement')?.evidence).toContain('ສັ່ງ');
  });

  it('does not raise without a reason it weighs up, nor for a text about others', () => {
    const sure = modelWith({ bias: 10, weights: { 'c:guard': -1 } }, { bias: 10 });
    expect(createAssessor(lexicon, sure).assess('we talk every night, it is fine').risk).toBe('low');
    expect(createAssessor(lexicon, sure).assess(guards).urgent).toBe(false);
    const keen = modelWith({ bias: 0, weights: { 'c:guard': 5 } });
    expect(createAssessor(lexicon, keen).assess('news report: guards on every floor of the compounds').urgent).toBe(false);
    const bare = modelWith({ bias: 10, bareThreshold: 0.5 }, {}, { confinement: { bias: 0, weights: {} } });
    expect(createAssessor(lexicon, bare).assess(`news report: ${van}`).urgent).toBe(false);
  });
});

describe('training', () => {
  const toy = (features: string[], urgent: boolean): Example => ({
    rules: { risk: 'low', urgent: false, flags: [], language: 'en' },
    features,
    grams: [],
    reasons: { urgent: { specific: [], any: [], kinds: [] }, high: { specific: [], any: [], kinds: [] } },
    set: 's',
    label: { urgent, high: urgent, low: !urgent, flags: [] },
  });

  it('learns which features tell, and the same weights every time', () => {
    const data = [toy(['c:guard'], true), toy(['c:guard', 'c:night'], true), toy(['c:night'], false), toy([], false)];
    const head = fitHead(data, (e) => e.label.urgent);
    expect(head.weights['c:guard']).toBeGreaterThan(0);
    expect(head.weights['c:night'] ?? 0).toBeLessThan(head.weights['c:guard'] ?? 0);
    expect(fitHead(data, (e) => e.label.urgent)).toEqual(head);
  });

  it('decides exactly as assess() does with the committed model', () => {
    const model = loadModel(join(ROOT, 'data'));
    expect(model).toBeDefined();
    if (!model) return;
    const assessor = createAssessor(lexicon, model);
    const { fixtures } = trainingData(ROOT);
    const examples = examplesOf(fixtures, rulesOnly);
    examples.forEach((e, i) => {
      const text = fixtures[i]?.text ?? '';
      const want = decide(e, scored(e, model), thresholdsOf(model));
      const got = assessor.assess(text);
      expect({ urgent: got.urgent, high: got.risk === 'high', low: got.risk === 'low' }, text).toEqual(want);
    });
  });

  it('is up to date with the lexicon and the labelled sets (else: npx hotline train)', () => {
    expect(loadModel(join(ROOT, 'data'))?.digest).toBe(trainingData(ROOT).digest);
  });
});
