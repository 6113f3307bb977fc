import { Command } from 'commander';
import { packageVersion } from '../model/committed-models.js';
import { describeCliError } from './cli-error.js';
import * as calibrate from './commands/calibrate.js';
import * as check from './commands/check.js';
import * as decode from './commands/decode.js';
import * as emulate from './commands/emulate.js';
import * as evaluate from './commands/eval.js';
import * as generate from './commands/generate.js';
import * as models from './commands/models.js';
import * as plot from './commands/plot.js';
import * as preprocess from './commands/preprocess.js';
import * as promote from './commands/promote.js';
import * as serve from './commands/serve.js';
import * as train from './commands/train.js';
import * as upload from './commands/upload.js';

// Each command lives in its own module under ./commands and adds itself to the program.
const program = new Command()
  .name('rubato')
  .description('Learns to play piano from MIDI files and writes new music as MIDI.')
  .version(packageVersion(), '-V, --version', 'print the version')
  .showHelpAfterError()
  .exitOverride((error) => {
    // commander's own usage errors (unknown option, missing argument) exit 2, like our own validation.
    process.exit(error.exitCode === 0 ? 0 : 2);
  });

const commandModules: Array<{ register(program: Command): void }> = [preprocess, decode, train, calibrate, generate, evaluate, serve, emulate, plot, promote, upload, models, check];
for (const module of commandModules) module.register(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  const { line, status } = describeCliError(error);
  console.error(line);
  process.exit(status);
}
