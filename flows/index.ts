// Every flow the bot runs, by id. Add a new flow file here.
import type { FreeTextRoute } from '../src/conversation/service.ts';
import type { Flow, Flows } from '../src/engine/index.ts';
import type { Assessment } from '../src/understand/types.ts';
import { getHelpFlow } from './get-help.ts';
import { helpNumbersFlow } from './help-numbers.ts';
import { jobCheckFlow, jobCheckPrefill } from './job-check.ts';
import { languageFlow } from './language.ts';
import { menuFlow } from './menu.ts';
import { safeMigrationFlow } from './safe-migration.ts';
import { checkinFlow, journeyFlow, journeyStopFlow } from './journey.ts';
import { safeWordFlow } from './safe-word.ts';
import { startFlow } from './start.ts';
import { tipKeys, tipsFlow, tipsStopFlow, tipTimeFlow } from './tips.ts';

const all: Flow[] = [
  startFlow,
  languageFlow,
  menuFlow,
  jobCheckFlow,
  safeMigrationFlow,
  getHelpFlow,
  helpNumbersFlow,
  tipsFlow,
  tipsStopFlow,
  tipTimeFlow,
  safeWordFlow,
  journeyFlow,
  checkinFlow,
  journeyStopFlow,
];

/** i18n keys flows compute at run time (tips and quiz questions by number), for `hotline check`. */
export const computedKeys: readonly string[] = tipKeys();

export const flows: Flows = Object.fromEntries(all.map((f) => [f.id, f]));

/**
 * Where free text with red flags leads: a crisis to "get help now" at once, anything else with flags (a
 * pasted or forwarded job ad) to the job check, which skips what the ad already answers.
 */
export function routeFreeText(assessment: Assessment): FreeTextRoute | undefined {
  if (assessment.unreadable || assessment.flags.length === 0) return undefined;
  const flags = assessment.flags.map((f) => `assess.flag.${f.id}`);
  if (assessment.urgent) return { flow: 'get-help', vars: {}, flags };
  return { flow: 'job-check', vars: jobCheckPrefill(assessment), flags };
}
