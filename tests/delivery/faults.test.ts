// The quick part of `npm run faults`, in every test run: two processes on a Redis with AOF, duplicate
// deliveries, 429 and 500 from the platform, and 1,000 malformed, oversized, unsigned and forged requests.
import { describe, expect, it } from 'vitest';
import { runFaults } from '../../bench/faults.ts';

describe('fault run (quick)', () => {
  it('loses nothing, answers nothing twice, and stores nothing from bad input', async () => {
    const r = await runFaults({ quick: true });
    expect(r.sent).toBeGreaterThan(300);
    expect(r.duplicatesSent).toBeGreaterThan(0);
    expect(r).toMatchObject({ lost: 0, answeredTwice: 0, storedFromBadInput: 0, badAccepted: 0 });
    expect(r.answered).toBe(r.sent);
    expect(r.rejected).toBe(1000);
  }, 120_000);
});
