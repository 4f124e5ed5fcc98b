// The `hotline` command. See `hotline help`.
import { parseArgs } from 'node:util';

const USAGE = `hotline <command>

  start                      run the server (web chat, health) — same as npm start
  chat [--lang L] [--json]   talk to the bot in this terminal; each line is one message
  assess [--lang L] [--json] read one message on stdin and print its risk, urgency and red flags
  eval                       precision and recall of assess on the labelled sets in tests/fixtures (npm run eval)
  train                      learn the scorer of free text from the labelled sets (writes data/lexicon/model.json)
  check                      lint flows and content; non-zero exit on any problem
  diagram [FLOW]             print a Mermaid diagram of one flow, or of all
  messenger setup            set Messenger's Get Started button, greeting and menu in each language
  counsellor add NAME [--role supervisor]
                             create a console account (password from stdin, or generated and shown once)
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'start': {
      const { startServer } = await import('./main.ts');
      await startServer();
      return -1;
    }
    case 'chat': {
      const { values } = parseArgs({ args: rest, options: { lang: { type: 'string' }, json: { type: 'boolean' } } });
      const { chatCommand } = await import('./commands/chat.ts');
      return chatCommand(values.lang, values.json ?? false);
    }
    case 'assess': {
      const { values } = parseArgs({ args: rest, options: { lang: { type: 'string' }, json: { type: 'boolean' } } });
      const { assessCommand } = await import('./commands/assess.ts');
      return assessCommand(values.lang, values.json ?? false);
    }
    case 'train': {
      const { trainCommand } = await import('./commands/train.ts');
      return trainCommand();
    }
    case 'eval': {
      const { evalCommand } = await import('./commands/eval.ts');
      return evalCommand();
    }
    case 'check': {
      const { checkCommand } = await import('./commands/check.ts');
      return checkCommand();
    }
    case 'counsellor': {
      const { counsellorAddCommand } = await import('./commands/counsellor.ts');
      if (rest[0] !== 'add') {
        process.stderr.write('Usage: hotline counsellor add NAME [--role supervisor] [--replace]\n');
        return 2;
      }
      return counsellorAddCommand(rest.slice(1));
    }
    case 'messenger': {
      if (rest[0] !== 'setup') {
        process.stderr.write('Usage: hotline messenger setup\n');
        return 2;
      }
      const { messengerSetupCommand } = await import('./commands/messenger-setup.ts');
      return messengerSetupCommand();
    }
    case 'diagram': {
      const { diagramCommand } = await import('./commands/diagram.ts');
      return diagramCommand(rest[0]);
    }
    case undefined:
    case 'help':
    case '--help':
      process.stdout.write(USAGE);
      return 0;
    default:
      process.stderr.write(`Unknown command: ${command}\n\n${USAGE}`);
      return 2;
  }
}

const code = await main(process.argv.slice(2));
if (code >= 0) process.exitCode = code;
