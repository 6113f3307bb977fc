import { forEachWindow } from '../../dataset/control-features.js';
import { mixInt } from '../../dataset/stable-hash.js';
import type { StreamControlWriter, StreamPart } from '../../dataset/windows.js';
import { controlLayout, writeWindowControls, type ControlSpec, type KeptControls } from './control-spec.js';
import { KeyboardState, writeKeyboardInputs } from './keyboard-input.js';

const dropoutResolution = 1_000_000;

/**
 * The control inputs of training stream windows: each position gets what its file's next `windowSeconds` hold (so
 * transposition, applied to the stream, moves the pitch classes with it) and its file's composer. Per row and window,
 * controls are dropped at random — all together, or each on its own — deterministically from (seed, epoch, window,
 * row), so a resumed run sees the same inputs. The keyboard inputs (a model with them) are never dropped: the sampler
 * always gives them.
 *
 * @example streamWindows(train, { batchSize, steps, seed, controls: streamControls(spec, styleIndexOfFile, seed) });
 */
export function streamControls(spec: ControlSpec, styleIndexOfFile: readonly number[], seed: number): StreamControlWriter {
  const layout = controlLayout(spec);
  const { width } = layout;
  let stream: Uint16Array = new Uint16Array(0);
  let parts: readonly StreamPart[] = [];
  const chance = (probability: number, ...draw: number[]) => mixInt(dropoutResolution, seed, ...draw) < probability * dropoutResolution;
  const keys = spec.keyboard ? new KeyboardState(spec.keyboard) : undefined;
  return {
    width,
    startEpoch(joined, placed) {
      stream = joined;
      parts = placed;
    },
    writeRow(start, steps, out, offset, { epoch, window, row }) {
      const dropAll = chance(spec.dropout.all, epoch, window, row, 0);
      const keep = (salt: number) => !dropAll && !chance(spec.dropout.each, epoch, window, row, salt);
      const kept: KeptControls = { density: keep(1), pitchClasses: keep(2), dynamics: keep(3), style: keep(4) };
      const anyKept = kept.density || kept.pitchClasses || kept.dynamics || kept.style;
      if (!anyKept && !keys) return;
      const end = start + steps;
      for (let part = partAt(parts, start); part < parts.length && parts[part]!.start < end; part++) {
        const { file, start: fileStart, end: fileEnd } = parts[part]!;
        const style = styleIndexOfFile[file] ?? -1;
        // Windows stop at the end of their file, and the velocity in force never comes from the file before.
        const tokens = stream.subarray(fileStart, fileEnd);
        const from = Math.max(start, fileStart) - fileStart;
        const to = Math.min(end, fileEnd) - fileStart;
        const at = offset + (from + fileStart - start) * width;
        if (keys) writeKeyboardInputs(keys, tokens, from, to, out, at + layout.keyboard, width);
        if (!anyKept) continue;
        forEachWindow(tokens, from, to, tokens.length, spec.windowSeconds, (position, features) =>
          writeWindowControls(spec, layout, features, style, kept, out, offset + (position + fileStart - start) * width),
        );
      }
    },
  };
}

/** Index of the part holding `position` (parts are contiguous and ascending). */
function partAt(parts: readonly StreamPart[], position: number): number {
  let low = 0;
  let high = parts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (parts[middle]!.start <= position) low = middle;
    else high = middle - 1;
  }
  return low;
}
