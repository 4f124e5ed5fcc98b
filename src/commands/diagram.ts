import { flows } from '../../flows/index.ts';
import { diagram, flowsDoc } from '../check/diagram.ts';
import { loadContent } from '../content/index.ts';

export function diagramCommand(arg: string | undefined): number {
  const { t } = loadContent();
  if (arg === undefined || arg === '--doc') {
    process.stdout.write(arg ? flowsDoc(flows, t) : Object.values(flows).map((f) => `%% ${f.id}\n${diagram(f, t)}\n`).join('\n'));
    return 0;
  }
  const flow = flows[arg];
  if (!flow) {
    process.stderr.write(`Unknown flow "${arg}". Flows: ${Object.keys(flows).join(', ')}\n`);
    return 2;
  }
  process.stdout.write(`${diagram(flow, t)}\n`);
  return 0;
}
