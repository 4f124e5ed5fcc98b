// Every flow the bot runs, by id. Add a new flow file here.
import type { Flow, Flows } from '../src/engine/index.ts';
import { getHelpFlow } from './get-help.ts';
import { helpNumbersFlow } from './help-numbers.ts';
import { jobCheckFlow } from './job-check.ts';
import { languageFlow } from './language.ts';
import { menuFlow } from './menu.ts';
import { safeMigrationFlow } from './safe-migration.ts';
import { startFlow } from './start.ts';

const all: Flow[] = [startFlow, languageFlow, menuFlow, jobCheckFlow, safeMigrationFlow, getHelpFlow, helpNumbersFlow];

export const flows: Flows = Object.fromEntries(all.map((f) => [f.id, f]));
