// MIDI bytes for Web MIDI: a piece as timed note messages, a keyboard's messages as notes, notes as a .mid file.
// Plain functions without the browser, so Node tests run them against the project's own MIDI reader.

const noteOn = 0x90;
const noteOff = 0x80;
const controlChange = 0xb0;
const sustainPedal = 64;
const allNotesOffController = 123;
/** 480 ticks per quarter at 120 bpm: 960 ticks per second. */
const ticksPerQuarter = 480;
const ticksPerSecond = 960;

/**
 * A piece as Web MIDI sends: note-on and note-off on `channel` (0-based), timestamps in ms from `startMs`; at equal
 * times a release goes before a strike so a repeated key sounds again.
 */
export function noteMessages(notes, startMs, channel = 0) {
  const messages = notes.flatMap((note) => [
    { data: [noteOn | channel, note.pitch, Math.max(1, Math.min(127, note.velocity))], timestamp: startMs + note.startSeconds * 1000 },
    { data: [noteOff | channel, note.pitch, 0], timestamp: startMs + note.endSeconds * 1000 },
  ]);
  return messages.sort((a, b) => a.timestamp - b.timestamp || (a.data[0] & 0xf0) - (b.data[0] & 0xf0));
}

/** "All notes off" and pedal up on every channel: what Stop sends so nothing keeps sounding. */
export function silenceMessages() {
  return Array.from({ length: 16 }, (_, channel) => [
    [controlChange | channel, sustainPedal, 0],
    [controlChange | channel, allNotesOffController, 0],
  ]).flat();
}

/**
 * Turns a keyboard's incoming messages into notes (seconds from the first key pressed). Note-on with velocity 0 is a
 * release; a key released while the sustain pedal is down sounds until the pedal comes up.
 *
 * @example
 * const recorder = new PrimerRecorder();
 * input.onmidimessage = (event) => recorder.receive(event.data, event.timeStamp);
 * const notes = recorder.notes(performance.now());
 */
export class PrimerRecorder {
  constructor() {
    this.finished = [];
    this.held = new Map();
    this.sustained = new Set();
    this.pedalDown = false;
    this.originMs = undefined;
  }

  receive(data, timeMs) {
    const [status, first, second] = data;
    const kind = status & 0xf0;
    if (kind === noteOn && second > 0) return this.press(first, second, timeMs);
    if (kind === noteOff || kind === noteOn) return this.release(first, timeMs);
    if (kind === controlChange && first === sustainPedal) this.pedal(second >= 64, timeMs);
  }

  press(pitch, velocity, timeMs) {
    this.originMs ??= timeMs;
    if (this.held.has(pitch)) this.end(pitch, timeMs);
    this.sustained.delete(pitch);
    this.held.set(pitch, { pitch, velocity, startSeconds: this.seconds(timeMs), down: true });
  }

  release(pitch, timeMs) {
    const note = this.held.get(pitch);
    if (!note) return;
    if (this.pedalDown) {
      note.down = false;
      this.sustained.add(pitch);
    } else {
      this.end(pitch, timeMs);
    }
  }

  pedal(down, timeMs) {
    this.pedalDown = down;
    if (down) return;
    for (const pitch of this.sustained) this.end(pitch, timeMs);
    this.sustained.clear();
  }

  end(pitch, timeMs) {
    const note = this.held.get(pitch);
    this.held.delete(pitch);
    this.sustained.delete(pitch);
    this.finished.push({ pitch, velocity: note.velocity, startSeconds: note.startSeconds, endSeconds: Math.max(note.startSeconds + 0.01, this.seconds(timeMs)) });
  }

  seconds(timeMs) {
    return this.originMs === undefined ? 0 : (timeMs - this.originMs) / 1000;
  }

  /** Every note so far, keys still held ending at `nowMs`, in order of onset. */
  notes(nowMs) {
    const open = [...this.held.values()].map((note) => ({ pitch: note.pitch, velocity: note.velocity, startSeconds: note.startSeconds, endSeconds: Math.max(note.startSeconds + 0.01, this.seconds(nowMs)) }));
    return [...this.finished, ...open].sort((a, b) => a.startSeconds - b.startSeconds || a.pitch - b.pitch);
  }
}

function variableLength(value) {
  const bytes = [value & 0x7f];
  for (let rest = value >> 7; rest > 0; rest >>= 7) bytes.unshift((rest & 0x7f) | 0x80);
  return bytes;
}

function uint32(value) {
  return [(value >>> 24) & 0xff, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff];
}

/** Notes as a one-track Standard MIDI File (format 0, 120 bpm), e.g. to send a recorded primer to `/generate`. */
export function midiFileOf(notes) {
  const timed = noteMessages(notes, 0).map((message) => ({ tick: Math.round((message.timestamp / 1000) * ticksPerSecond), data: message.data }));
  const track = [0x00, 0xff, 0x51, 0x03, 0x07, 0xa1, 0x20];
  let previous = 0;
  for (const { tick, data } of timed) {
    track.push(...variableLength(tick - previous), ...data);
    previous = tick;
  }
  track.push(0x00, 0xff, 0x2f, 0x00);
  const header = [0x4d, 0x54, 0x68, 0x64, ...uint32(6), 0x00, 0x00, 0x00, 0x01, ticksPerQuarter >> 8, ticksPerQuarter & 0xff];
  return new Uint8Array([...header, 0x4d, 0x54, 0x72, 0x6b, ...uint32(track.length), ...track]);
}
