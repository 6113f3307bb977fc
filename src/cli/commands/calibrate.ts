import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import { defaultDensityCalibration, measureDensityResponse } from '../../model/controls/density-response.js';
import { modelFileNames } from '../../model/model-files.js';
import { tokenizerOf } from '../../model/model-tokenizer.js';
import { loadModelFolder } from './model-folder.js';
import { usageError } from './usage-error.js';

const number = z.coerce.number();
const optionsSchema = z.object({
  model: z.string().min(1),
  pieces: number.int().min(1).max(32).default(defaultDensityCalibration.pieces),
  seconds: number.min(5).max(120).default(defaultDensityCalibration.seconds),
});

/** `rubato calibrate --model DIR`: measures how many notes per second each density bin gives, into the manifest. */
export function register(program: Command): void {
  program
    .command('calibrate')
    .description("Measure again the notes per second a model with controls writes for each density bin (training does it once), and save it in its manifest so --density asks for what it means")
    .requiredOption('--model <dir>', 'model folder (trained with controls)')
    .option('--pieces <n>', 'pieces per bin (seeds 1001…)', '4')
    .option('--seconds <s>', 'length of each piece', '30')
    .action(async (raw: Record<string, unknown>) => {
      const parsed = optionsSchema.safeParse(raw);
      if (!parsed.success) usageError('calibrate', parsed.error);
      const options = parsed.data;
      const model = await loadModelFolder('calibrate', options.model);
      if (!model.manifest.controls) usageError('calibrate', `${options.model} was trained without controls: there is nothing to calibrate`);
      const densityResponse = measureDensityResponse(model, tokenizerOf(model.manifest), { ...defaultDensityCalibration, pieces: options.pieces, seconds: options.seconds });
      const manifest = { ...model.manifest, controls: { ...model.manifest.controls!, densityResponse } };
      await writeFile(join(options.model, modelFileNames.manifest), JSON.stringify(manifest, null, 2) + '\n');
      const edges = model.manifest.controls!.densityEdges;
      densityResponse.forEach((rate, bin) => {
        const from = bin === 0 ? 0 : edges[bin - 1]!;
        console.log(`density bin ${bin} (${from}${bin < edges.length ? `–${edges[bin]}` : '+'} notes/s): writes ${rate} notes/s`);
      });
    });
}
