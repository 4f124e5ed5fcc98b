// Frames: concepts near each other. Each frame is held to its own example, and the matcher to the rules
// that keep it from firing on words alone (word edges, order, negation, sentences, "unless").
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../src/content/index.ts';
import { defaultAssessor } from '../../src/understand/index.ts';
import { loadLexicon } from '../../src/understand/lexicon.ts';
import { foldLatin } from '../../src/understand/normalize.ts';

const assessor = defaultAssessor();
const flagsOf = (text: string) => assessor.assess(text).flags.map((f) => f.id);
const lexicon = loadLexicon(join(ROOT, 'data'));

describe('frames', () => {
  lexicon.frames.frames.forEach((frame, i) => {
    it(`frame ${i} (${frame.parts.join(' + ')}) finds its example`, () => {
      const found = flagsOf(frame.example);
      for (const flag of frame.flags) expect(found, frame.example).toContain(flag);
    });
  });

  it('finds what no fixed phrase lists, in each writing', () => {
    expect(flagsOf('they chained the gate of our dorm')).toContain('confinement');
    expect(flagsOf('the boss will not let any of us go home')).toContain('confinement');
    expect(flagsOf('ນາຍຈ້າງບໍ່ໃຫ້ພວກເຮົາກັບບ້ານ')).toContain('confinement');
    expect(flagsOf('ไต้ก๋งไม่ให้ใครขึ้นฝั่ง')).toContain('confinement');
    expect(flagsOf('boss bo hai phuak hao kub ban')).toContain('confinement');
    expect(flagsOf('they want 2000 usd from my mum before they release him')).toEqual(expect.arrayContaining(['debt', 'confinement']));
    expect(flagsOf('ต้องจ่ายเงินสามหมื่นก่อนถึงจะปล่อยตัว')).toEqual(expect.arrayContaining(['debt', 'confinement']));
  });

  it('keeps to word edges in Lao and Thai', () => {
    expect(flagsOf('ເຂົາຕີຂ້ອຍທຸກມື້')).toContain('violence');
    expect(flagsOf('ຕີນຂ້ອຍເຈັບ ຍ່າງບໍ່ໄດ້')).not.toContain('violence');
    expect(flagsOf('ໃຊ້ໜີ້ບໍ່ໄດ້ ເພາະເງິນເດືອນໜ້ອຍ')).not.toContain('confinement');
    expect(flagsOf('ປະຕູໃຫຍ່ເຂົາລ່າມໂສ້ໄວ້ຕະຫຼອດ')).toContain('confinement');
  });

  it('keeps a frame flag even when a term found it first and the job-context rule took the term away', () => {
    // No job word here, so the term "we owe" does not count; the ransom frame still does.
    expect(flagsOf('they keep moving us at night and say we owe 3000 usd before we can go home')).toEqual(expect.arrayContaining(['debt', 'confinement']));
  });

  it('does not let a Lao term stop one letter short of a word', () => {
    // ຈະຂ້າ (will kill) is not in ຈະຂ້າມ (will cross).
    expect(flagsOf('ປີໃໝ່ນີ້ຈະຂ້າມຂົວມິດຕະພາບກັບບ້ານ ຕ້ອງໃຊ້ບັດຫຍັງແດ່')).not.toContain('threats');
    expect(flagsOf('ເຂົາວ່າຈະຂ້າຂ້ອຍ')).toContain('threats');
  });

  it('lets a festival, a parent or working hours undo "not allowed to leave", but never a crisis shown otherwise', () => {
    expect(flagsOf("my boss won't let me go home for Pi Mai, too many orders")).not.toContain('confinement');
    expect(flagsOf('boss bor hai ork kon 5 mong laeng')).not.toContain('confinement');
    expect(flagsOf('ແມ່ບໍ່ໃຫ້ອອກໄປໃສ ຍ້ອນຝົນຕົກ')).not.toContain('confinement');
    expect(assessor.assess("the boss won't let us go home even for Pi Mai, there are guards with guns at the gate").urgent).toBe(true);
    expect(assessor.assess('ເຖົ້າແກ່ບໍ່ໃຫ້ກັບບ້ານບຸນປີໃໝ່ ມີຄົນຖືປືນເຝົ້າປະຕູ').urgent).toBe(true);
    expect(assessor.assess('please help, they took my phone, i use wifi from the shop secretly').urgent).toBe(true);
  });

  it('keeps the order a frame asks for', () => {
    expect(flagsOf('ກັບບ້ານບໍ່ໄດ້')).toContain('confinement');
    expect(flagsOf('ບໍ່ໄດ້ກັບບ້ານສອງປີແລ້ວ ຄິດຮອດແມ່')).not.toContain('confinement');
    expect(flagsOf('ไม่ได้กลับบ้านมาสองปีแล้ว')).not.toContain('confinement');
  });

  it('is undone by a negation, a full stop, or an "unless" word', () => {
    expect(flagsOf('the gate is chained every night')).toContain('confinement');
    expect(flagsOf('the gate is not chained, we go out on Sundays')).not.toContain('confinement');
    expect(flagsOf("I can't sleep. Leave the lights on")).not.toContain('confinement');
    expect(flagsOf('the labour office door is locked on Saturday?')).not.toContain('confinement');
    expect(flagsOf('ດູຂ່າວວ່າມີຄົນຖືກຫຼອກ ຢາກຮູ້ວ່າຈັກຄົນ'.replace('ດູ', 'ເບິ່ງ'))).not.toContain('deception');
  });

  it('folds the spellings of Latin-letter Lao together', () => {
    for (const [a, b] of [
      ['ngern', 'ngeun'],
      ['nguen', 'ngen'],
      ['prasopkan', 'pasopkan'],
      ['wiak', 'viak'],
      ['khoy', 'koy'],
      ['baw', 'bor'],
      ['laew', 'leo'],
    ]) {
      expect(foldLatin(a as string), `${a} ~ ${b}`).toBe(foldLatin(b as string));
    }
    expect(foldLatin('kai')).not.toBe(foldLatin('khai'));
  });
});
