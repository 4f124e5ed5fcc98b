import { describe, expect, it } from 'vitest';
import { Duty, parseDutyHours } from '../../src/escalation/duty.ts';

// 2026-11-23 is a Monday. Vientiane is UTC+7 all year.
const vientiane = (iso: string) => Date.parse(`${iso}+07:00`);

describe('duty hours', () => {
  it('reads day ranges and several windows, and refuses what it cannot read', () => {
    expect(parseDutyHours('mon-fri 08:00-17:00, sat 09:00-12:00')).toEqual([
      { days: [1, 2, 3, 4, 5], from: 480, to: 1020 },
      { days: [6], from: 540, to: 720 },
    ]);
    expect(parseDutyHours('fri-mon 20:00-23:00')?.[0]?.days).toEqual([5, 6, 0, 1]);
    for (const bad of ['', 'weekdays 8-5', 'mon 17:00-08:00', 'mon-fri 08:00-25:00']) expect(parseDutyHours(bad)).toBeUndefined();
  });

  it('knows when the desk is open in its own time zone, and when it opens next', () => {
    const duty = new Duty(parseDutyHours('mon-fri 08:00-17:00') ?? [], 'Asia/Vientiane');
    expect(duty.isOpen(vientiane('2026-11-23T08:00:00'))).toBe(true);
    expect(duty.isOpen(vientiane('2026-11-23T07:59:00'))).toBe(false);
    expect(duty.isOpen(vientiane('2026-11-28T10:00:00'))).toBe(false);
    expect(duty.nextOpening(vientiane('2026-11-27T18:30:00'))).toBe(vientiane('2026-11-30T08:00:00'));
    expect(duty.describe(vientiane('2026-11-30T08:00:00'), 'en')).toBe('Monday 08:00');
    expect(duty.describe(vientiane('2026-11-30T08:00:00'), 'lo')).toContain('08:00');
  });
});
