// redact(text): what must not leave the server when a message goes to an LLM. Phone numbers, e-mail
// addresses, links, long numbers (ids, passports, bank accounts), chat handles and the names a person gives
// ("my name is …", "ຂ້ອຍຊື່ …", "ชื่อ …", "khoy seu …") become placeholders. Amounts of money stay: "30,000
// baht a month" or "ສາມໝື່ນບາດ" is what the assessment is about. Best effort: a name written with no
// introduction, a village or a company name is not found (docs/llm.md says so).

export const PLACEHOLDERS = ['[PHONE]', '[EMAIL]', '[URL]', '[NUMBER]', '[HANDLE]', '[NAME]'] as const;

/** ASCII, Thai (๐–๙) and Lao (໐–໙) digits. */
const D = '[0-9\\u0e50-\\u0e59\\u0ed0-\\u0ed9]';
const NOT_AFTER_DIGIT = '(?<![0-9\\u0e50-\\u0e59\\u0ed0-\\u0ed9])';
/** Lao and Thai letters, vowels and marks (not digits). */
const SCRIPT_LETTERS = /^[\u0e01-\u0e4f\u0e5a-\u0e5b\u0e81-\u0ecf\u0edc-\u0edf]+/u;

// ── Money: protected before any number is looked at ─────────────────────────────────────────────────────
/** 30,000 · 30.000 · 5 000 000 · 1.5 · 30000; never a number that starts with 0 (that is a phone). */
const AMOUNT = `(?!0${D})${D}{1,3}(?:[,.\\u00a0 ]${D}{3})+(?:[.,]${D}{1,2})?(?!${D})|(?!0${D})${D}+(?:[.,]${D}+)?(?!${D})`;
const MULTIPLIER = '(?:k|pan|muen|meun|saen|sen|lan|million|m|ພັນ|ໝື່ນ|ຫມື່ນ|ແສນ|ລ້ານ|ສິບ|ຮ້ອຍ|พัน|หมื่น|แสน|ล้าน|สิบ|ร้อย)';
const CURRENCY_WORD =
  '(?:(?:baht|bath|thb|kip|lak|usd|dollars?|yuan|rmb|cny|riel|khr|vnd|dong|kyat|mmk|ringgit|myr|won|yen)(?![a-z])|฿|₭|\\$|¥|€|บาท|ກີບ|กีบ|ບາດ|ดอลลาร์|ໂດລາ|ໂດລ່າ|หยวน|ຢວນ|เรียล)';
const CURRENCY_SIGN = '(?:us\\$|\\$|฿|₭|¥|€|(?:usd|thb|lak|rmb|cny)(?![a-z]))';
const PERIOD = '(?:(?:/|per |a |an |ต่อ|ຕໍ່)?\\s?(?:month|mo|day|week|เดือน|วัน|สัปดาห์|ເດືອນ|ມື້|ອາທິດ)(?![a-z]))';
const MONEY_WORD =
  '(?:salary|pay|paid|wage|wages|income|fee|fees|cost|costs|price|debt|owe|loan|deposit|ransom|dowry|ngern(?: ?deuan)?|เงินเดือน|ค่าจ้าง|ค่าแรง|รายได้|ค่าหัว|ค่านายหน้า|ค่าธรรมเนียม|หนี้|ค่าไถ่|ສິນສອດ|ເງິນເດືອນ|ຄ່າຈ້າງ|ຄ່າແຮງ|ລາຍໄດ້|ຄ່ານາຍໜ້າ|ຄ່າທຳນຽມ|ໜີ້|ຄ່າໄຖ່|ຄ່າດອງ)';
const MONEY = [
  `${NOT_AFTER_DIGIT}(?<![a-z])(?:${AMOUNT})\\s?(?:${MULTIPLIER}\\s?)*${CURRENCY_WORD}`,
  `${CURRENCY_SIGN}\\s?(?:${AMOUNT})(?:\\s?${MULTIPLIER}(?![a-z]))*`,
  `${NOT_AFTER_DIGIT}(?<![a-z])(?:${AMOUNT})\\s?(?:${MULTIPLIER}\\s?)*${PERIOD}`,
  `(?<![a-z])${MONEY_WORD}(?:\\s?(?:of|is|was|:|=|about|around|ประมาณ|ປະມານ)(?![a-z]))*\\s?(?:${AMOUNT})(?:\\s?${MULTIPLIER}(?![a-z]))*`,
].map((p) => new RegExp(p, 'giu'));
/** 1,500,000: thousands with commas are a quantity, never an id or a phone number. */
const COMMA_GROUPED = new RegExp(`${NOT_AFTER_DIGIT}(?!0${D})${D}{1,3}(?:,${D}{3})+(?:\\.${D}+)?(?!${D})`, 'gu');

// ── Contacts ──────────────────────────────────────────────────────────────────────────────────────────
const EMAIL = /[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}/gi;
/** "noy at gmail dot com", "noy[at]gmail[dot]com". */
const EMAIL_SPELLED = /\b[a-z0-9._-]+\s?(?:\[at\]|\(at\)|\sat\s)\s?[a-z0-9-]+\s?(?:\[dot\]|\(dot\)|\sdot\s|\.)\s?(?:com|net|org|la|th|co)\b/gi;
const URL_CHARS = "[a-z0-9\\-._~:/?#\\[\\]@!$&'()*+,;=%]";
const TLD = '(?:com|net|org|info|biz|la|th|kh|mm|vn|cn|my|sg|co|io|me|ly|gl|gd|to|asia|site|online|xyz|top|cc|app|link|shop|club|vip|live|store)';
const URLS = [
  new RegExp(`\\b(?:https?://|www\\.)${URL_CHARS}+`, 'gi'),
  new RegExp(`(?<![a-z0-9@._-])(?:[a-z0-9-]+\\.)+${TLD}(?![a-z0-9-])(?:/${URL_CHARS}*)?`, 'gi'),
];
/** Telegram, TikTok, Instagram: @boss_888. */
const HANDLE = /(?<![a-z0-9_.@])@[a-z_](?:[a-z0-9_.]*[a-z0-9_])?/gi;
/** "Line: boss888", "line id : abc_1", "WeChat: …", "ไลน์: …", "ໄລນ໌: …": the id after the colon (numbers are phones). */
const CHAT_ID =
  /((?<![a-z])(?:line|wechat|we chat|whatsapp|telegram|tg|viber|imo|fb|facebook|tiktok|ig|instagram|ไลน์|เฟส|เฟซบุ๊ก|ໄລນ໌|ໄລ|ເຟສ|ເຟສບຸກ|ວັອດແອັບ)(?:\s?id)?\s?[:：=]\s?)(?=[a-z0-9_.-]*[a-z])[a-z0-9_][a-z0-9_.-]*[a-z0-9_]/gi;

// ── Numbers ───────────────────────────────────────────────────────────────────────────────────────────
/** Passport, id card and account numbers with a letter prefix: P1234567, LA1234567, AB-1234567. */
const ALNUM_ID = new RegExp(`(?<![a-z0-9])[a-z]{1,2}-?${D}{6,}[a-z]?(?![a-z0-9])`, 'gi');
/** Digits in groups, with spaces, dashes, dots or brackets between them: +856 (20) 5555-1234. */
const GROUP = `\\(?\\+?${D}+\\)?`;
const DIGIT_RUN = new RegExp(`${NOT_AFTER_DIGIT}(?:\\+ ?)?${GROUP}(?:(?: ?[-.–] ?|[ \\u00a0]|(?<=\\)))${GROUP})*`, 'gu');
const DATE = new RegExp(`^(?:${D}{1,2}([-./])${D}{1,2}\\1${D}{2,4}|${D}{4}([-./])${D}{1,2}\\2${D}{1,2})$`, 'u');

// ── Names ─────────────────────────────────────────────────────────────────────────────────────────────
/** Tone marks are often left out on phones: an introduction matches with or without them. */
const loose = (word: string): string => word.replace(/[\u0ec8-\u0ecb]/g, '[\\u0ec8-\\u0ecb]?');
const LAO_WHO = ['ຂ້ອຍ', 'ຂ້ານ້ອຍ', 'ຂ້າພະເຈົ້າ', 'ນ້ອງສາວ', 'ນ້ອງຊາຍ', 'ນ້ອງ', 'ລູກສາວ', 'ລູກຊາຍ', 'ລູກ', 'ເຮົາ', 'ຜົວ', 'ເມຍ', 'ເອື້ອຍ', 'ອ້າຍ', 'ແມ່', 'ພໍ່', 'ໝູ່', 'ລາວ', 'ເພິ່ນ', 'ເຂົາ']
  .map(loose)
  .join('|');
const NOT_AFTER_LAO = '(?<![\\u0e81-\\u0edf])';
/** ຊື່ "name", not ຊື້ "buy" nor ເຊື່ອ "believe". */
const LAO_NAME_WORD = '(?<!ເ)ຊື\\u0ec8?(?![\\u0ec9-\\u0ecb])';
const LAO_TITLE = '(?:\\s?(?:ທ\\u0ec9?າວ|ນາງສາວ|ນາງ|ທ\\u0ec8?ານ|ທ\\.|ນ\\.))?';
const LAO_INTRO = new RegExp(
  `(?:(?:${LAO_WHO})\\s?${LAO_NAME_WORD}(?:\\s?(?:ແມ\\u0ec8?ນ|ວ\\u0ec8?າ))?|${LAO_NAME_WORD}\\s?(?:ຂອງ)?(?:${LAO_WHO})(?:\\s?(?:ແມ\\u0ec8?ນ|ຄື))?|${NOT_AFTER_LAO}${LAO_NAME_WORD}\\s?[:：])${LAO_TITLE}\\s?[:：]?\\s?`,
  'gu',
);
const THAI_WHO = '(?:ของ)?(?:ฉัน|ผม|หนู|ดิฉัน|เรา|เขา|เธอ|แฟน|ลูกสาว|ลูกชาย|ลูก|พี่สาว|พี่ชาย|พี่|น้องสาว|น้องชาย|น้อง|แม่|พ่อ|เพื่อน)';
const THAI_INTRO = new RegExp(
  `(?<!เ)ชื\\u0e48?อ(?:เล\\u0e48?น|จริง|บัญชี)?\\s?(?:${THAI_WHO}\\s?)?(?:คือ|ว\\u0e48?า)?\\s?[:：]?\\s?(?:นางสาว|นาย|นาง|น\\.ส\\.|ด\\.ญ\\.|ด\\.ช\\.|คุณ)?\\s?`,
  'gu',
);
/** Words that come after a name in Lao and Thai: a run that starts with one is no name. */
const SCRIPT_STOPS = [
  // Lao
  'ອາຍຸ', 'ຢູ່', 'ມາຈາກ', 'ຈາກ', 'ເຮັດ', 'ຕອນນີ້', 'ກຳລັງ', 'ກໍາລັງ', 'ຖືກ', 'ບໍ່', 'ໄດ້', 'ເປັນ', 'ຂ້ອຍ', 'ຢາກ',
  'ຕ້ອງການ', 'ຊ່ວຍ', 'ເງິນ', 'ນາຍຈ້າງ', 'ໂທ', 'ເບີ', 'ເຈົ້າ', 'ເດີ້', 'ຄັບ', 'ຂໍ', 'ແລະ', 'ແລ້ວ', 'ທີ່', 'ບໍລິສັດ',
  'ວຽກ', 'ຮ້ານ', 'ຫຍັງ', 'ໃຜ', 'ຄົນ', 'ເຂົາ', 'ພວກ', 'ໜັງສື', 'ພາສປອດ', 'ປີ', 'ຕໍ່', 'ໃນ', 'ກັບ', 'ຈະ', 'ຍັງ', 'ມີ',
  // Thai
  'อายุ', 'อยู่', 'มาจาก', 'จาก', 'ทำงาน', 'ตอนนี้', 'กำลัง', 'ถูก', 'ไม่', 'ได้', 'เป็น', 'ค่ะ', 'คะ', 'ครับ', 'นะ',
  'จ้า', 'ฉัน', 'ผม', 'หนู', 'ดิฉัน', 'อยาก', 'ต้องการ', 'ช่วย', 'เงิน', 'นายจ้าง', 'โทร', 'เบอร์', 'และ', 'แล้ว',
  'ที่', 'บริษัท', 'ร้าน', 'อะไร', 'ใคร', 'งาน', 'เว็บ', 'โรงงาน', 'เสียง', 'ใน', 'กับ', 'จะ', 'ยัง', 'พาสปอร์ต', 'ปี', 'มี',
];
/** Stop words that also cut a run in the middle ("ນ້ອຍຢູ່ບ້ານ" → ນ້ອຍ); short ones could be part of a name ("ບຸນມີ"). */
const SCRIPT_CUTS = SCRIPT_STOPS.filter((w) => w.length >= 3 || ['ຢູ່', 'ໄດ້', 'ຄັບ', 'ບໍ່', 'ค่ะ', 'คะ', 'นะ', 'ได้', 'ไม่'].includes(w));
const MAX_SCRIPT_NAME = 18;

const LATIN_INTROS = [
  /\b(?:my|her|his|our|their)\s+(?:(?:daughter|son|sister|brother|friend|wife|husband|mother|mom|mum|father|dad|cousin|boss|agent)(?:'s|’s)?\s+)?(?:full\s+|real\s+|nick\s?)?name\s+(?:is|was)\s+/giu,
  /(?<!(?:company|file|shop|page|group|business|product|job|boat|place|village|city|town|user)\s?)\b(?:name|full name|nick ?name)\s?[:：=]\s?/giu,
  /\b(?:call me|i am called|i'm called|they call me)\s+/giu,
  /\b(?:kh?o[iy]|khony|koi|koy|nong|luk|look)\s+(?:s|x)(?:eu|ue|eux|ew|ur)\b\s*(?:(?:maen|men|va|wa)\s+)?/giu,
  /\b(?:s|x)(?:eu|ue|eux|ew|ur)\s+(?:kh?o[iy]|khony|nong|luk)\s+(?:maen|men|keu|kue|kheu)\s+/giu,
];
/** "I am Noy" / "I'm Noy": only a capitalised word that is not a common word or a nationality. */
const I_AM = /\b(?:i\s+am|i['’]m)\s+/giu;
const TITLE = /\b(?:mr|mrs|ms|miss|mister|madam|mdm)\.?\s+(?=\p{Lu})/giu;
const LATIN_WORD = /^\p{Script=Latin}[\p{Script=Latin}\p{M}'’-]*/u;
const LATIN_STOPS = new Set(
  (
    'a an the and or but so i im me my we you he she they it is am are was were be been not no yes from in at on to of for with ' +
    'here there now today very really just only also this that who what where when why how please help age aged years year old ' +
    'live living work working stay staying going looking calling writing asking trying want need have has had can cannot could ' +
    'will would should must do did does scared afraid worried okay ok fine sorry stuck trapped lost alone sick hungry tired ' +
    'lao laos laotian thai thailand khmer cambodian vietnamese chinese burmese myanmar hmong malay english student girl boy woman ' +
    'man mother father wife husband worker maid single married pregnant interested ready happy sad free unemployed locked ' +
    'yu yuu ayu ayou ma maa jak chak het hed pen bor bo dai lae laew tonnee khoy khoi koy jao chao mee mi suay xuay suai dae ' +
    'sabaidee sabaidi kho thank thanks hello hi dear sir madam boss agent new'
  ).split(/\s+/),
);
const MAX_LATIN_NAME_WORDS = 3;

export function redact(input: string): string {
  // Private-use characters mark protected spans below: none may come from outside.
  let text = input.normalize('NFC').replace(/[\ue000-\uf8ff]/g, '');
  const kept: string[] = [];
  const keep = (s: string): string => {
    const i = kept.push(s) - 1;
    return `\ue000${String.fromCharCode(0xe100 + (i % 0x1000), 0xe100 + Math.floor(i / 0x1000))}\ue001`;
  };

  text = text.replace(EMAIL, '[EMAIL]').replace(EMAIL_SPELLED, '[EMAIL]');
  for (const re of URLS) text = text.replace(re, (m) => `[URL]${/[.,;:!?)\]'"]+$/.exec(m)?.[0] ?? ''}`);
  text = text.replace(CHAT_ID, (_m, label: string) => `${label}[HANDLE]`).replace(HANDLE, '[HANDLE]');

  for (const re of MONEY) text = text.replace(re, keep);
  text = text.replace(COMMA_GROUPED, keep);

  text = text.replace(ALNUM_ID, '[NUMBER]');
  text = text.replace(DIGIT_RUN, classifyDigits);

  for (const intro of [...LATIN_INTROS, LAO_INTRO, THAI_INTRO]) text = redactNames(text, intro, 'any');
  text = redactNames(text, I_AM, 'capitalised');
  text = redactNames(text, TITLE, 'capitalised');

  return text.replace(/\ue000([\ue100-\uf0ff])([\ue100-\uf0ff])\ue001/g, (_m, lo: string, hi: string) => {
    return kept[(hi.charCodeAt(0) - 0xe100) * 0x1000 + (lo.charCodeAt(0) - 0xe100)] ?? '';
  });
}

function asciiDigits(s: string): string {
  return s
    .replace(/[\u0e50-\u0e59]/g, (d) => String(d.charCodeAt(0) - 0x0e50))
    .replace(/[\u0ed0-\u0ed9]/g, (d) => String(d.charCodeAt(0) - 0x0ed0));
}

/** A run of digit groups: a phone number, another long number (an id), or something harmless (a date, an age). */
function classifyDigits(run: string): string {
  const digits = asciiDigits(run).replace(/\D/g, '');
  if (digits.length < 6 || DATE.test(run)) return run;
  const international = /^(?:\+|\(\s?\+|00[1-9])/.test(run);
  const phone =
    (international && digits.length >= 7 && digits.length <= 15) ||
    (digits.startsWith('0') && digits.length >= 8 && digits.length <= 12) ||
    (/^(?:856|66|855|95|84|86)/.test(digits) && digits.length >= 10 && digits.length <= 13) ||
    (/^20[2-9]/.test(digits) && digits.length === 10);
  return phone ? '[PHONE]' : '[NUMBER]';
}

/** Replaces the name after each match of `intro` with [NAME]. */
function redactNames(text: string, intro: RegExp, mode: 'any' | 'capitalised'): string {
  let out = '';
  let at = 0;
  for (const m of text.matchAll(intro)) {
    const start = m.index + m[0].length;
    if (m.index < at || start > text.length) continue;
    const length = nameAt(text, start, mode);
    if (length === 0) continue;
    out += `${text.slice(at, start)}[NAME]`;
    at = start + length;
  }
  return out + text.slice(at);
}

/** The length of the name that starts at `start`, 0 if none does. */
function nameAt(text: string, start: number, mode: 'any' | 'capitalised'): number {
  if (/^\p{M}/u.test(text.slice(start, start + 1))) return 0;
  if (SCRIPT_LETTERS.test(text.slice(start, start + 1))) return mode === 'any' ? scriptName(text, start) : 0;
  return latinName(text, start, mode);
}

/** One to three Latin words: the first capitalised in "I am …", the rest written like the first. */
function latinName(text: string, start: number, mode: 'any' | 'capitalised'): number {
  let pos = start;
  let count = 0;
  let firstCapital = false;
  while (count < MAX_LATIN_NAME_WORDS) {
    const gap = count === 0 ? '' : text[pos] === ' ' ? ' ' : undefined;
    if (gap === undefined) break;
    const word = LATIN_WORD.exec(text.slice(pos + gap.length))?.[0];
    if (!word) break;
    const bare = word.toLowerCase().replace(/['’-]+$/, '');
    const capital = /^\p{Lu}\p{Ll}/u.test(word);
    if (LATIN_STOPS.has(bare) || /ing$/.test(bare)) break;
    if (count === 0) {
      if (mode === 'capitalised' && !capital) break;
      firstCapital = capital;
    } else if (firstCapital ? !capital : count >= 2) {
      break;
    }
    count += 1;
    pos += gap.length + word.length;
  }
  return pos - start;
}

/** A Lao or Thai name, and a surname after one space when it is short and no ordinary word. */
function scriptName(text: string, start: number): number {
  const first = scriptRun(text, start);
  if (first.length === 0 || first.cut) return first.length;
  if (text[start + first.length] === ' ') {
    const second = scriptRun(text, start + first.length + 1);
    if (second.length > 0 && !second.cut) return first.length + 1 + second.length;
  }
  return first.length;
}

/** A run of Lao/Thai letters up to a stop word; `cut` when something else follows in the same run. */
function scriptRun(text: string, at: number): { length: number; cut: boolean } {
  const run = SCRIPT_LETTERS.exec(text.slice(at))?.[0] ?? '';
  if (run === '' || SCRIPT_STOPS.some((w) => run.startsWith(w))) return { length: 0, cut: false };
  let end = run.length;
  for (const w of SCRIPT_CUTS) {
    const i = run.indexOf(w, 2);
    if (i >= 2 && i < end) end = i;
  }
  if (end > MAX_SCRIPT_NAME) return { length: MAX_SCRIPT_NAME, cut: true };
  return { length: end, cut: end < run.length };
}
