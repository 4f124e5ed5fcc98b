// The `hotline` command as a person runs it: through bin/hotline.js, with piped stdin.
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { content } from '../helpers/service.ts';

const root = join(import.meta.dirname, '..', '..');
const bin = join(root, 'bin', 'hotline.js');

function hotline(args: string[], input = '', env: Record<string, string> = {}) {
  const run = spawnSync(process.execPath, [bin, ...args], { cwd: root, input, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 30_000 });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('hotline chat --json', () => {
  it('walks the job-offer check in Lao from piped stdin, one JSON object per event', () => {
    const lo = (key: string) => content().t('lo', key);
    const answers = ['1', '1', '2', '2', '3', '2', '2', '2', '3', '3', '2', '3', '1'];
    const { code, stdout } = hotline(['chat', '--json', '--lang', 'lo'], `${answers.join('\n')}\n`);
    expect(code).toBe(0);
    const events = stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; text?: string; buttons?: string[]; priority?: string; reason?: string });
    expect(events[0]).toMatchObject({ type: 'message', buttons: ['ລາວ', 'ไทย', 'English'] });
    expect(events[0]?.text).toContain(lo('start.welcome'));
    expect(events.some((e) => e.text?.includes(lo('job.result.high')))).toBe(true);
    expect(events.find((e) => e.type === 'escalation')).toMatchObject({ type: 'escalation', priority: 'high', reason: 'job_offer_high_risk' });
  });

  it('reads free text typed at a menu as the bot does: a crisis goes to help at once, a job ad to the job check', () => {
    const en = (key: string) => content().t('en', key);
    const crisis = hotline(['chat', '--json', '--lang', 'en'], 'English\nthey locked us in the room and took our passports\n');
    const events = crisis.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; text?: string; priority?: string });
    expect(events.find((e) => e.type === 'escalation')).toMatchObject({ priority: 'urgent' });
    expect(events.some((e) => e.text?.includes('1362'))).toBe(true);
    expect(crisis.stdout).not.toContain(JSON.stringify(en('engine.invalid_choice')).slice(1, -1));
    const ad = hotline(['chat', '--json', '--lang', 'en'], 'English\nJOB IN CAMBODIA online customer service 30,000 baht a month, no experience, ticket and visa paid\n');
    expect(ad.stdout).toContain(JSON.stringify(en('job.ad_found')).slice(1, -1));
  });

  it('picks buttons by label too, and refuses an unknown language', () => {
    const { stdout } = hotline(['chat', '--json', '--lang', 'en'], 'English\n🆘 Get help now\n');
    expect(stdout).toContain('"type":"escalation","priority":"urgent","reason":"help_request"');
    const bad = hotline(['chat', '--lang', 'fr']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--lang must be one of lo, th, en');
  });
});

describe('hotline check and diagram', () => {
  it('passes on the repository content', () => {
    const { code, stdout, stderr } = hotline(['check']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain('OK');
  });

  it('prints a Mermaid diagram of a flow, and names the flows for an unknown one', () => {
    const { code, stdout } = hotline(['diagram', 'get-help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^flowchart TD/);
    expect(stdout).toContain('escalate urgent');
    const bad = hotline(['diagram', 'nope']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('job-check');
  });
});

describe('hotline start', () => {
  it('stops at start-up on a bad setting, naming the variable', () => {
    const { code, stderr } = hotline(['start'], '', { PORT: 'eighty', REDIS_URL: 'http://nope' });
    expect(code).toBe(1);
    expect(stderr).toContain('PORT="eighty"');
    expect(stderr).toContain('REDIS_URL="http://nope": must be a redis:// or rediss:// URL');
  });
});

describe('hotline messenger setup', () => {
  it('makes the three Messenger profile calls against the Graph URL it is given', async () => {
    const { startFakeGraph } = await import('../helpers/fake-graph.ts');
    const graph = await startFakeGraph();
    const run = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
      const child = spawn(process.execPath, [bin, 'messenger', 'setup'], {
        cwd: root,
        env: {
          ...process.env,
          MESSENGER_PAGE_TOKEN: 'page-token-0123456789',
          MESSENGER_APP_SECRET: 'app-secret-0123456789',
          MESSENGER_VERIFY_TOKEN: 'verify-token-0123',
          MESSENGER_GRAPH_URL: graph.url,
        },
      });
      let stdout = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.on('exit', (code) => resolve({ code, stdout }));
    });
    expect(run.code).toBe(0);
    expect(graph.calls.map((c) => Object.keys(c.body as object)[0])).toEqual(['get_started', 'greeting', 'persistent_menu']);
    expect(run.stdout).not.toContain('page-token');
    await graph.close();
  });
});

describe('hotline assess', () => {
  it.each([
    ['Lao script', 'ເຂົາເອົາພາສປອດຂ້ອຍໄປ ແລະ ບໍ່ໃຫ້ອອກ', 'lo'],
    ['Thai script', 'ถูกยึดพาสปอร์ต ออกไม่ได้ ช่วยด้วย', 'th'],
    ['Latin-letter Lao', 'boss bor hai ork pai sai, suay dae', 'lo-latn'],
    ['English', 'they took my passport and locked the door', 'en'],
  ])('prints the assessment of %s as JSON', (_name, text, language) => {
    const { code, stdout } = hotline(['assess', '--json'], text);
    expect(code).toBe(0);
    const out = JSON.parse(stdout) as { risk: string; urgent: boolean; flags: { id: string; evidence: string }[]; language: string };
    expect(out).toMatchObject({ risk: 'high', urgent: true, language });
    expect(out.flags.length).toBeGreaterThan(0);
  });

  it('says it could not read an empty message, and refuses an unknown --lang', () => {
    expect(JSON.parse(hotline(['assess', '--json'], '').stdout)).toMatchObject({ risk: 'low', unreadable: 'empty' });
    expect(hotline(['assess'], 'hello').stdout).toContain('risk: low');
    expect(hotline(['assess', '--lang', 'xx'], 'hi').code).toBe(2);
  });
});
