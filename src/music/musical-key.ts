/** A key as a tonic pitch class (C = 0) and a mode. */
export interface MusicalKey {
  tonic: number;
  mode: 'major' | 'minor';
}

const sharpNames = ['C', 'C#', 'D', 'D#', 'E', 'F', 'F#', 'G', 'G#', 'A', 'A#', 'B'];
const letterPitch: Record<string, number> = { C: 0, D: 2, E: 4, F: 5, G: 7, A: 9, B: 11 };
const keyPattern = /^([A-Ga-g])([#♯]|b|♭)?(m|min|minor|maj|major)?$/;

/** The 24 keys as people write them: `C` … `B` major, `Cm` … `Bm` minor, sharps for black keys. */
export const keyNames: readonly string[] = [...sharpNames, ...sharpNames.map((name) => `${name}m`)];

/** `C`, `F#`, `Bb` (= `A#`), `Am`, `Bbm`, `Ebmaj`…; undefined for anything else. */
export function parseKey(text: string): MusicalKey | undefined {
  const match = keyPattern.exec(text.trim());
  if (!match) return undefined;
  const [, letter, accidental, mode] = match;
  const shift = accidental === '#' || accidental === '♯' ? 1 : accidental ? -1 : 0;
  return { tonic: (letterPitch[letter!.toUpperCase()]! + shift + 12) % 12, mode: mode?.startsWith('m') && !mode.startsWith('maj') ? 'minor' : 'major' };
}

/** `{ tonic: 10, mode: 'minor' }` → `A#m`. */
export function keyName(key: MusicalKey): string {
  return `${sharpNames[key.tonic]}${key.mode === 'minor' ? 'm' : ''}`;
}
