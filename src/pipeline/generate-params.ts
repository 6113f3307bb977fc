import { z } from 'zod';
import { MidiError } from '../midi/midi-error.js';
import type { NoteSequence } from '../midi/note-sequence.js';
import { parseMidi } from '../midi/parse-midi.js';
import { dynamicsMarks, type DynamicsMark } from '../model/controls/control-spec.js';
import { defaultRules } from '../model/sampler.js';
import type { DecodingChoice, DecodingDefaults } from '../model/sampling-defaults.js';
import { excerpt } from '../music/excerpts.js';
import { parseKey, type MusicalKey } from '../music/musical-key.js';
import { runIdPattern } from './run-id.js';
import { badRequest, payloadTooLarge, type RequestError } from './request-errors.js';
import { isAnyComposer, maxComposerLength } from './upload-composer.js';

/** Bounds of every generate parameter: one place, read by the schema, the error messages and the docs. */
export const generateLimits = {
  seconds: { min: 1, max: 120, default: 20 },
  events: { min: 1, max: 8192 },
  /** The decoding defaults are rubato's: a model's own (`sampling` in its manifest) come first, see `resolveDecoding`. */
  temperature: { min: 0.1, max: 2, default: 1 },
  topK: { min: 0, max: 388, default: 0 },
  topP: { max: 1, default: 0.95 },
  seed: { min: 0, max: 2 ** 31 - 1 },
  /** A note held this long is ended by the sampler. */
  maxNoteSeconds: { min: 0.5, max: 30, default: defaultRules.maxNoteSeconds },
  /** Notes per second (a model's own bins decide how finely it follows). */
  density: { min: 0.5, max: 40 },
  /** Decoded primer MIDI, bytes. */
  primerBytes: 256 * 1024,
  /**
   * A primer sent as JSON notes: at most this many, ending by `primerSeconds`. 4096 notes of JSON are about 250 KB,
   * within the request body cap as a 256 KiB MIDI primer is; only the newest events are kept for sampling anyway.
   */
  primerNotes: 4096,
  primerSeconds: 600,
} as const;

/** rubato's decoding, for a request that leaves a field out and a model without its own (`sampling` in its manifest). */
export const defaultDecoding: Readonly<Record<DecodingChoice, number>> = {
  temperature: generateLimits.temperature.default,
  topK: generateLimits.topK.default,
  topP: generateLimits.topP.default,
};

/** How long the piece should be: seconds of music, or a number of new events. */
export type PieceLength = { seconds: number } | { events: number };

/** A validated generate request. `seed` absent means "pick one" (the answer says which). */
export interface GenerateParams {
  length: PieceLength;
  /** The decoding the request names; what it leaves out comes from the model, then from rubato (`resolveDecoding`). */
  decoding: DecodingDefaults;
  maxNoteSeconds: number;
  seed?: number;
  /** A runId under `models/`, or 'latest' for the one `models/latest.json` points at. */
  model: string;
  /**
   * Notes to continue (POST only), ending where the primer stops: notes still sounding then are held across the join
   * (by default the last note's end, so the notes that end last are taken as held at a cut).
   */
  primer?: NoteSequence;
  /**
   * A continuation takes its manner from the primer (controls measured on it, its held notes, more of its context;
   * see continuation-plan.ts); false continues as rubato did before, from the primer's notes alone.
   */
  followPrimer: boolean;
  /** Steering for a model trained with controls; each absent one is "not given". */
  controls: RequestedControls;
}

/** The controls a request asks for; `style` is checked against the model's composers when the model is known. */
export interface RequestedControls {
  density?: number;
  key?: MusicalKey;
  dynamics?: DynamicsMark;
  style?: string;
}

/** Where the fields came from: a GET query string (all strings, no primer) or a POST JSON body. */
export type ParamsSource = 'query' | 'body';

const numberPattern = /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/;
const base64Pattern = /^[A-Za-z0-9+/]*={0,2}$/;

/** What each parameter accepts, worded for the person who sent a wrong one. */
const accepted: Record<string, string> = {
  seconds: `a number of seconds from ${generateLimits.seconds.min} to ${generateLimits.seconds.max}`,
  events: `a whole number from ${generateLimits.events.min} to ${generateLimits.events.max} (instead of seconds)`,
  temperature: `a number from ${generateLimits.temperature.min} to ${generateLimits.temperature.max}`,
  topK: `a whole number from ${generateLimits.topK.min} to ${generateLimits.topK.max} (0 = off)`,
  topP: `a number greater than 0 and at most ${generateLimits.topP.max}`,
  seed: `a whole number from ${generateLimits.seed.min} to ${generateLimits.seed.max}`,
  maxNoteSeconds: `a number of seconds from ${generateLimits.maxNoteSeconds.min} to ${generateLimits.maxNoteSeconds.max}`,
  model: 'a run id (1-128 letters, digits, ".", "_" or "-", starting with a letter or digit) or "latest"',
  primer: `a base64-encoded MIDI file of at most ${generateLimits.primerBytes / 1024} KiB, or an array of 1 to ${generateLimits.primerNotes} notes {pitch, start, end, velocity} (seconds)`,
  density: `a number of notes per second from ${generateLimits.density.min} to ${generateLimits.density.max}`,
  key: 'a key such as C, F#, Bb, Am or C#m (sharps or flats; minor with a trailing "m")',
  dynamics: `one of ${dynamicsMarks.join(', ')}`,
  style: 'a composer the model knows (GET /models lists them per model) or "any"',
  primerEnd: `a number of seconds from 0 to ${generateLimits.primerSeconds}, after the primer's first onset (where the primer stops: later notes are left out, notes sounding then are held; default: its last note's end)`,
  followPrimer: 'true or false (on or off on the command line; false: continue the primer from its notes alone, without taking its manner)',
};

/** Query strings carry numbers as text; JSON may too. Anything that is not plainly a number stays as it is and fails. */
const numeric = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (typeof value === 'string' && numberPattern.test(value) ? Number(value) : value), schema);

const { seconds, events, temperature, topK, topP, seed, maxNoteSeconds, density } = generateLimits;
const modelDefault = (fallback: number) => ({
  default: fallback,
  description: `the model's own default when it has one (GET /models: sampling; withPrimer for a continuation), else ${fallback}`,
});
const fields = {
  seconds: numeric(z.number().min(seconds.min).max(seconds.max)).optional().meta({ default: seconds.default, description: `without events, ${seconds.default}` }),
  events: numeric(z.number().int().min(events.min).max(events.max)).optional(),
  // Left out, these are the model's own (GET /models: sampling), else the default the description names.
  temperature: numeric(z.number().min(temperature.min).max(temperature.max)).optional().meta(modelDefault(temperature.default)),
  topK: numeric(z.number().int().min(topK.min).max(topK.max)).optional().meta(modelDefault(topK.default)),
  topP: numeric(z.number().gt(0).max(topP.max)).optional().meta(modelDefault(topP.default)),
  seed: numeric(z.number().int().min(seed.min).max(seed.max)).optional(),
  maxNoteSeconds: numeric(z.number().min(maxNoteSeconds.min).max(maxNoteSeconds.max)).default(maxNoteSeconds.default),
  model: z.string().regex(runIdPattern).default('latest'),
  density: numeric(z.number().min(density.min).max(density.max)).optional(),
  key: z.string().refine((text) => parseKey(text) !== undefined).optional(),
  dynamics: z.enum(dynamicsMarks).optional(),
  style: z.string().trim().min(1).max(maxComposerLength).optional(),
  followPrimer: z.preprocess((value) => (value === 'true' ? true : value === 'false' ? false : value), z.boolean()).default(true),
};
const querySchema = z.strictObject(fields);
const bodySchema = z.strictObject({
  ...fields,
  primer: z.union([z.string(), z.array(z.unknown())]).optional(),
  primerEnd: numeric(z.number().min(0).max(generateLimits.primerSeconds)).optional(),
});

/**
 * Validates and bounds a generate request. Throws a {@link RequestError}: 400 naming the first wrong parameter
 * and what it accepts, or 413 for a primer over the size cap.
 *
 * @example
 * parseGenerateParams({ seconds: '10', temperature: '0.9' }, 'query');
 * // { length: { seconds: 10 }, decoding: { temperature: 0.9 }, maxNoteSeconds: 5, model: 'latest', followPrimer: true, controls: {} }
 */
export function parseGenerateParams(input: unknown, source: ParamsSource): GenerateParams {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw badRequest('invalid-json', 'the request body must be a JSON object of generate parameters');
  }
  // An empty query field (`?seed=`, as HTML forms send) means "not given".
  const fieldsGiven = source === 'query' ? Object.fromEntries(Object.entries(input).filter(([, value]) => value !== '' && value !== undefined)) : input;
  for (const name of ['primer', 'primerEnd'] as const) {
    if (source === 'query' && name in fieldsGiven) throw badRequest('unknown-parameter', `parameter "${name}" is only accepted in a POST /generate JSON body`);
  }
  const parsed = (source === 'query' ? querySchema : bodySchema).safeParse(fieldsGiven);
  if (!parsed.success) throw badRequestFrom(parsed.error, fieldsGiven as Record<string, unknown>);
  const { seconds: givenSeconds, events: givenEvents, primer, primerEnd, density: givenDensity, key, dynamics, style, temperature, topK, topP, ...rest } = parsed.data as z.infer<typeof bodySchema>;
  if (givenSeconds !== undefined && givenEvents !== undefined) {
    throw badRequest('invalid-parameter', 'give "seconds" or "events", not both');
  }
  if (primerEnd !== undefined && primer === undefined) throw badRequest('invalid-parameter', 'parameter "primerEnd" needs parameter "primer"');
  return {
    ...rest,
    length: givenEvents !== undefined ? { events: givenEvents } : { seconds: givenSeconds ?? generateLimits.seconds.default },
    decoding: {
      ...(temperature !== undefined ? { temperature } : {}),
      ...(topK !== undefined ? { topK } : {}),
      ...(topP !== undefined ? { topP } : {}),
    },
    controls: {
      ...(givenDensity !== undefined ? { density: givenDensity } : {}),
      ...(key !== undefined ? { key: parseKey(key)! } : {}),
      ...(dynamics !== undefined ? { dynamics } : {}),
      ...(style !== undefined && !isAnyComposer(style) ? { style } : {}),
    },
    ...(primer !== undefined ? { primer: primerEndingAt(parsePrimer(primer), primerEnd) } : {}),
  };
}

/** The primer cut where it stops (`primerEnd`): notes from then on left out, notes sounding then held to it. */
function primerEndingAt(primer: NoteSequence, primerEnd: number | undefined): NoteSequence {
  if (primerEnd === undefined) return primer;
  const cut = excerpt(primer, 0, primerEnd);
  if (cut.notes.length === 0) {
    const first = Math.min(...primer.notes.map((note) => note.startSeconds));
    throw badRequest('invalid-parameter', `parameter "primerEnd" must be ${accepted.primerEnd}; got ${primerEnd}, the first onset is at ${first.toFixed(3)}`);
  }
  return cut;
}

function badRequestFrom(error: z.ZodError, given: Record<string, unknown>): RequestError {
  const issue = error.issues[0]!;
  if (issue.code === 'unrecognized_keys') {
    const names = issue.keys.map((key) => `"${key}"`).join(', ');
    return badRequest('unknown-parameter', `unknown parameter ${names}; accepted: ${Object.keys(accepted).join(', ')}`);
  }
  const name = String(issue.path[0] ?? '');
  const shown = JSON.stringify(given[name])?.slice(0, 40) ?? 'nothing';
  return badRequest('invalid-parameter', `parameter "${name}" must be ${accepted[name] ?? 'valid'}; got ${shown}`);
}

function parsePrimer(primer: string | unknown[]): NoteSequence {
  return typeof primer === 'string' ? parsePrimerBase64(primer) : parsePrimerNotes(primer);
}

function parsePrimerBase64(base64: string): NoteSequence {
  const compact = base64.replace(/\s+/g, '');
  if (compact.length > Math.ceil(generateLimits.primerBytes / 3) * 4) {
    throw payloadTooLarge(`parameter "primer" must be ${accepted.primer}; got about ${Math.round((compact.length * 3) / 4 / 1024)} KiB`);
  }
  if (compact.length === 0 || !base64Pattern.test(compact)) {
    throw badRequest('invalid-primer', `parameter "primer" must be ${accepted.primer}; it is not base64`);
  }
  return parsePrimerMidi(Buffer.from(compact, 'base64'));
}

/** A primer's MIDI bytes, under the primer's size cap, as a NoteSequence; a file that does not parse is a 400 saying why. */
function parsePrimerMidi(bytes: Uint8Array): NoteSequence {
  if (bytes.length > generateLimits.primerBytes) {
    throw payloadTooLarge(`parameter "primer" must be ${accepted.primer}; got ${Math.round(bytes.length / 1024)} KiB`);
  }
  try {
    return parseMidi(bytes, { maxBytes: generateLimits.primerBytes });
  } catch (error) {
    if (error instanceof MidiError) throw badRequest('invalid-primer', `parameter "primer" is not a usable MIDI file: ${error.message}`);
    throw error;
  }
}

/** One note of a primer sent as JSON (`primer: [{ pitch, start, end, velocity }]`), times in seconds. */
export interface PrimerNote {
  pitch: number;
  start: number;
  end: number;
  velocity: number;
}

/** What each field of a JSON primer note accepts, worded as {@link accepted} is. */
const acceptedInNote: Record<keyof PrimerNote, string> = {
  pitch: 'a whole number from 0 to 127 (60 = middle C)',
  start: `a number of seconds from 0 to ${generateLimits.primerSeconds}`,
  end: `a number of seconds greater than start and at most ${generateLimits.primerSeconds}`,
  velocity: 'a whole number from 1 to 127',
};

const primerNoteSchema = z
  .strictObject({
    pitch: z.number().int().min(0).max(127),
    start: z.number().min(0).max(generateLimits.primerSeconds),
    end: z.number().max(generateLimits.primerSeconds),
    velocity: z.number().int().min(1).max(127),
  })
  .refine((note) => note.end > note.start, { path: ['end'] });

/** A primer of JSON notes as the sequence a MIDI primer parses to: sorted by onset, then pitch. */
function parsePrimerNotes(given: unknown[]): NoteSequence {
  if (given.length > generateLimits.primerNotes) {
    throw payloadTooLarge(`parameter "primer" must be ${accepted.primer}; got ${given.length} notes`);
  }
  if (given.length === 0) throw badRequest('invalid-primer', `parameter "primer" must be ${accepted.primer}; got no notes`);
  const notes = given.map((value, index) => {
    const parsed = primerNoteSchema.safeParse(value);
    if (!parsed.success) throw badNote(parsed.error.issues, value, index);
    const { pitch, start, end, velocity } = parsed.data;
    return { pitch, velocity, startSeconds: start, endSeconds: end };
  });
  notes.sort((a, b) => a.startSeconds - b.startSeconds || a.pitch - b.pitch);
  return { notes, totalSeconds: Math.max(...notes.map((note) => note.endSeconds)) };
}

/** A 400 naming the note and its field (`primer[3].end`), what the field accepts and what came. */
function badNote(issues: z.core.$ZodIssue[], note: unknown, index: number): RequestError {
  // A misspelt field also leaves the right one missing: the misspelling is the news.
  const issue = issues.find((each) => each.code === 'unrecognized_keys') ?? issues[0]!;
  const shape = 'a note {pitch, start, end, velocity} with times in seconds';
  const field = issue.path[0] as keyof PrimerNote | undefined;
  if (issue.code === 'unrecognized_keys') {
    return badRequest('invalid-primer', `parameter "primer[${index}]" has unknown field ${issue.keys.map((key) => `"${key}"`).join(', ')}; each note is ${shape}`);
  }
  if (field === undefined) {
    return badRequest('invalid-primer', `parameter "primer[${index}]" must be ${shape}; got ${JSON.stringify(note)?.slice(0, 40) ?? 'nothing'}`);
  }
  const fields = note as Record<string, unknown>;
  const shown = JSON.stringify(fields[field])?.slice(0, 40) ?? 'nothing';
  const context = field === 'end' && typeof fields.start === 'number' ? ` (start ${fields.start})` : '';
  return badRequest('invalid-primer', `parameter "primer[${index}].${field}" must be ${acceptedInNote[field]}; got ${shown}${context}`);
}

/**
 * The schemas and wording that validate generate requests, for the OpenAPI description (src/http/openapi-cloud.ts),
 * so the document says what validation does. `primerNote` is one note of a JSON primer (`primer` in the body schema
 * is only string-or-array: its notes are checked one by one, to name the bad one).
 */
export const generateParamSchemas = { query: querySchema, body: bodySchema, primerNote: primerNoteSchema, accepted } as const;
