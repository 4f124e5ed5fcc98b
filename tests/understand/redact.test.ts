// What leaves the server when the LLM is on: realistic messages in Lao, Thai, Latin-letter Lao and English,
// with contacts, ids and names replaced, and the amounts of money the assessment needs kept.
import { describe, expect, it } from 'vitest';
import { redact } from '../../src/understand/redact.ts';

describe('redact: phone numbers', () => {
  it.each([
    ['Call 020 5555 1234 now', 'Call [PHONE] now'],
    ['my number is 02055551234', 'my number is [PHONE]'],
    ['+856 20 5555 1234', '[PHONE]'],
    ['+856-20-5555-1234', '[PHONE]'],
    ['(+856) 20 5555 1234', '[PHONE]'],
    ['856 20 55551234', '[PHONE]'],
    ['2055551234', '[PHONE]'],
    ['030 512 3456', '[PHONE]'],
    ['office 021 212 345', 'office [PHONE]'],
    ['ໂທຫາ ໐໒໐ ໕໕໕໕ ໑໒໓໔ ເດີ້', 'ໂທຫາ [PHONE] ເດີ້'],
    ['ເບີ020 9999 8888', 'ເບີ[PHONE]'],
    ['โทร 081-234-5678', 'โทร [PHONE]'],
    ['เบอร์ ๐๘๑๒๓๔๕๖๗๘ ค่ะ', 'เบอร์ [PHONE] ค่ะ'],
    ['+66 81 234 5678', '[PHONE]'],
    ['+66 (0)81 234 5678', '[PHONE]'],
    ['02-123-4567', '[PHONE]'],
    ['0066812345678', '[PHONE]'],
    ['+86 138 0013 8000', '[PHONE]'],
    ['WhatsApp +855 12 345 678', 'WhatsApp [PHONE]'],
    ['tel: 081.234.5678', 'tel: [PHONE]'],
    ['whatsapp0812345678', 'whatsapp[PHONE]'],
    ['line id: 0812345678', 'line id: [PHONE]'],
  ])('%s', (input, expected) => {
    expect(redact(input)).toBe(expected);
  });
});

describe('redact: e-mail, links and handles', () => {
  it.each([
    ['mail noy.p@gmail.com please', 'mail [EMAIL] please'],
    ['NOY_2005@Yahoo.co.th', '[EMAIL]'],
    ['noy at gmail dot com', '[EMAIL]'],
    ['noy[at]gmail[dot]com', '[EMAIL]'],
    ['apply at https://jobs-thai.example.com/apply?ref=abc.', 'apply at [URL].'],
    ['(www.goodjob.la/form)', '([URL])'],
    ['join t.me/laojobs2024 today', 'join [URL] today'],
    ['see facebook.com/profile.php?id=100012345678', 'see [URL]'],
    ['bit.ly/3xYzAb', '[URL]'],
    ['ສະໝັກທີ່www.laojob.com ເລີຍ', 'ສະໝັກທີ່[URL] ເລີຍ'],
    ['add @boss_vip88 on telegram', 'add [HANDLE] on telegram'],
    ['tg: @kk_admin', 'tg: [HANDLE]'],
    ['Line: job_thai99. Is it real?', 'Line: [HANDLE]. Is it real?'],
    ['ไลน์: boss.job', 'ไลน์: [HANDLE]'],
    ['ໄລນ໌: laojob88 ໂທ 030 555 1234', 'ໄລນ໌: [HANDLE] ໂທ [PHONE]'],
  ])('%s', (input, expected) => {
    expect(redact(input)).toBe(expected);
  });
});

describe('redact: ids, passports and accounts', () => {
  it.each([
    ['passport P1234567', 'passport [NUMBER]'],
    ['ພາສປອດ PA1234567 ຖືກຍຶດ', 'ພາສປອດ [NUMBER] ຖືກຍຶດ'],
    ['ID card 1-2345-67890-12-3', 'ID card [NUMBER]'],
    ['account 123-4-56789-0', 'account [NUMBER]'],
    ['BCEL 0101 2000 1234 5678', 'BCEL [NUMBER]'],
    ['ref 123456', 'ref [NUMBER]'],
    ['ບັດປະຈຳຕົວ ເລກ 1234567890', 'ບັດປະຈຳຕົວ ເລກ [NUMBER]'],
    ['เลขบัตร ๑๒๓๔๕๖๗๘๙๐๑๒๓', 'เลขบัตร [NUMBER]'],
  ])('%s', (input, expected) => {
    expect(redact(input)).toBe(expected);
  });

  it('leaves short numbers, ages, years, dates and help lines alone', () => {
    const text = 'I am 19, since 2023, on 12/05/2024 or 2024-05-12, room 1205, 3 people, help line 1300 or 1191';
    expect(redact(text)).toBe(text);
  });
});

describe('redact: amounts of money survive', () => {
  it.each([
    '30,000 baht a month',
    'salary 30000 baht',
    'ເງິນເດືອນ 3,500,000 ກີບ',
    'ເງິນເດືອນສາມໝື່ນບາດ',
    'ຄ່ານາຍໜ້າ 15000 ບາດ',
    '5 000 000 ກີບ',
    '1.500.000 kip',
    '1500000 kip',
    '100 lan kip',
    'ngern deuan 3 lan kip',
    '$1,500',
    'USD 500',
    '฿25000',
    '30k baht',
    'ค่าหัว 15000 บาท',
    'เงินเดือน ๓๐,๐๐๐ บาท',
    'เงินเดือน 3 หมื่น',
    'dowry 150000000 kip',
    'ransom 200000 yuan',
    'salary 150000',
    'debt 2000000',
    '25000/month',
    '1200 baht per day',
  ])('%s', (text) => {
    expect(redact(text)).toBe(text);
  });

  it('keeps the amount beside a phone number', () => {
    expect(redact('pay 1,500,000 kip to 020 5555 1234')).toBe('pay 1,500,000 kip to [PHONE]');
  });
});

describe('redact: names a person gives', () => {
  it.each([
    ['My name is Noy Phommachanh and I am 19', 'My name is [NAME] and I am 19'],
    ['my name is noy vongsa', 'my name is [NAME]'],
    ["my daughter's name is lina she went to china", "my daughter's name is [NAME] she went to china"],
    ['Her name is Lina, she is 17', 'Her name is [NAME], she is 17'],
    ["I'm Somchai from Pakse", "I'm [NAME] from Pakse"],
    ['I am Noy. I am scared', 'I am [NAME]. I am scared'],
    ['name: Bounmy Keo', 'name: [NAME]'],
    ['call me Dao', 'call me [NAME]'],
    ['Mr. Chen took our passports', 'Mr. [NAME] took our passports'],
    ['ຂ້ອຍຊື່ ນ້ອຍ ອາຍຸ 19 ປີ', 'ຂ້ອຍຊື່ [NAME] ອາຍຸ 19 ປີ'],
    ['ຂ້ອຍຊື່ນ້ອຍຢູ່ບ້ານນາໄຊ', 'ຂ້ອຍຊື່[NAME]ຢູ່ບ້ານນາໄຊ'],
    ['ຊື່ຂ້ອຍແມ່ນ ບຸນມີ', 'ຊື່ຂ້ອຍແມ່ນ [NAME]'],
    ['ຂ້ອຍຊື່ ນາງ ແກ້ວ ພົມມະຈັນ ອາຍຸ 20', 'ຂ້ອຍຊື່ ນາງ [NAME] ອາຍຸ 20'],
    ['ລູກສາວຂ້ອຍຊື່ ດາວ ໄປທຳງານຢູ່ຈີນ', 'ລູກສາວຂ້ອຍຊື່ [NAME] ໄປທຳງານຢູ່ຈີນ'],
    ['ຂອຍຊື ດາ', 'ຂອຍຊື [NAME]'],
    ['ຂ້ອຍຊື່ Noy ເດີ້', 'ຂ້ອຍຊື່ [NAME] ເດີ້'],
    ['ฉันชื่อ มาลี ค่ะ', 'ฉันชื่อ [NAME] ค่ะ'],
    ['ผมชื่อสมชาย ใจดี ทำงานประมง', 'ผมชื่อ[NAME] ทำงานประมง'],
    ['ชื่อเล่นแพรว อยู่แม่สอด', 'ชื่อเล่น[NAME] อยู่แม่สอด'],
    ['หนูชื่อฝนค่ะ', 'หนูชื่อ[NAME]ค่ะ'],
    ['khoy seu noy ayu 19', 'khoy seu [NAME] ayu 19'],
    ['khoi xeu Dao yu Bokeo', 'khoi xeu [NAME] yu Bokeo'],
    ['Khoy seu maen Keo', 'Khoy seu maen [NAME]'],
    ['seu khoy maen Bounmy', 'seu khoy maen [NAME]'],
  ])('%s', (input, expected) => {
    expect(redact(input)).toBe(expected);
  });

  it.each([
    'I am Lao, I am scared, I AM LOCKED IN',
    'I am in Bokeo and I am working 16 hours',
    'ຂ້ອຍຊື້ເຄື່ອງ',
    'ເຂົາບໍ່ເຊື່ອຂ້ອຍ',
    'ชื่อบริษัท โกลเด้น',
    'ไม่เชื่อเขา',
    'Company name: Golden Star',
  ])('leaves "%s" alone', (text) => {
    expect(redact(text)).toBe(text);
  });
});

describe('redact: whole messages', () => {
  it.each([
    [
      'Hello, my name is Noy Phommachanh, I am 19 and from Savannakhet. A woman on Facebook offered me a job as online admin in Bokeo, 35,000 baht a month, travel paid. Her number is +856 20 5555 1234 and her Line: admin_kk88. Is it safe?',
      'Hello, my name is [NAME], I am 19 and from Savannakhet. A woman on Facebook offered me a job as online admin in Bokeo, 35,000 baht a month, travel paid. Her number is [PHONE] and her Line: [HANDLE]. Is it safe?',
    ],
    [
      'ສະບາຍດີ ຂ້ອຍຊື່ ນ້ອຍ ອາຍຸ 19 ປີ. ມີຄົນມາຊວນໄປເຮັດວຽກແອັດມິນຢູ່ສາມຫຼ່ຽມຄຳ ເງິນເດືອນສາມໝື່ນບາດ ອອກຄ່າເດີນທາງໃຫ້. ເບີເຂົາ 020 9876 5432, ເຟສ: https://facebook.com/goldenjob',
      'ສະບາຍດີ ຂ້ອຍຊື່ [NAME] ອາຍຸ 19 ປີ. ມີຄົນມາຊວນໄປເຮັດວຽກແອັດມິນຢູ່ສາມຫຼ່ຽມຄຳ ເງິນເດືອນສາມໝື່ນບາດ ອອກຄ່າເດີນທາງໃຫ້. ເບີເຂົາ [PHONE], ເຟສ: [URL]',
    ],
    [
      'สวัสดีค่ะ หนูชื่อฝน อายุ 20 ปี นายจ้างยึดพาสปอร์ตหนู AA1234567 ไม่ให้ออกไปไหน หักเงินเดือน ค้างหนี้ 50,000 บาท ติดต่อหนูได้ที่ 081-234-5678 หรือ fon.2004@hotmail.com',
      'สวัสดีค่ะ หนูชื่อ[NAME] อายุ 20 ปี นายจ้างยึดพาสปอร์ตหนู [NUMBER] ไม่ให้ออกไปไหน หักเงินเดือน ค้างหนี้ 50,000 บาท ติดต่อหนูได้ที่ [PHONE] หรือ [EMAIL]',
    ],
    [
      'sabaidee khoy seu Dao, boss ao passport khoy, bor hai ork, tong jai ni 3 lan kip. suay dae! tel 2055551234',
      'sabaidee khoy seu [NAME], boss ao passport khoy, bor hai ork, tong jai ni 3 lan kip. suay dae! tel [PHONE]',
    ],
    [
      "Please help, they locked us in. My friend's name is Keo. Call my sister 0812345678 or @keo_sister. Account for ransom: KBank 123-4-56789-0, 200,000 baht",
      "Please help, they locked us in. My friend's name is [NAME]. Call my sister [PHONE] or [HANDLE]. Account for ransom: KBank [NUMBER], 200,000 baht",
    ],
  ])('%s', (input, expected) => {
    expect(redact(input)).toBe(expected);
  });

  it('is idempotent and never lets private-use marker characters through', () => {
    const text = 'my name is Noy \ue000\ue100\ue100\ue001, call 020 5555 1234, 30,000 baht';
    const once = redact(text);
    expect(once).toBe('my name is [NAME] , call [PHONE], 30,000 baht');
    expect(redact(once)).toBe(once);
  });

  it('keeps no long digit run outside an amount of money', () => {
    const text = 'ID 123456789, passport no 7654321, salary 25,000 baht, tel 0205551234, card 4111 1111 1111 1111';
    expect(redact(text).replace(/25,000 baht/, '')).not.toMatch(/\d{3}/);
  });
});
