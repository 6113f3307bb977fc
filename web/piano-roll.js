// The piano roll: notes on a canvas, the keyboard and time axes as text beside it, a playhead, zoom and scroll.
const names = ['C', 'C♯', 'D', 'E♭', 'E', 'F', 'F♯', 'G', 'A♭', 'A', 'B♭', 'B'];
const blackKeys = new Set([1, 3, 6, 8, 10]);
/** Browsers refuse canvases much wider than this. */
const maxCanvasWidth = 30000;

export function noteName(pitch) {
  return `${names[pitch % 12]}${Math.floor(pitch / 12) - 1}`;
}

/** A tick spacing (seconds) that leaves at least ~70 px between labels. */
function tickSeconds(pixelsPerSecond) {
  return [0.5, 1, 2, 5, 10, 15, 30, 60, 120].find((step) => step * pixelsPerSecond >= 70) ?? 300;
}

/**
 * Draws a piece: pitch rows (octave labels at each C), seconds along the bottom, velocity as shade, the primer
 * shaded and labelled. Zoom changes pixels per second; the view scrolls sideways; a click on a note calls `onNote`.
 *
 * @example
 * const roll = new PianoRoll(document.getElementById('roll'), (note) => piano.strike(note));
 * roll.show(notes, { totalSeconds: 20, primerSeconds: 4 });
 */
export class PianoRoll {
  constructor(root, onNote) {
    this.keys = root.querySelector('.roll-keys');
    this.scroller = root.querySelector('.roll-scroll');
    this.canvas = root.querySelector('canvas');
    this.timeAxis = root.querySelector('.roll-time');
    this.playhead = root.querySelector('.roll-playhead');
    this.primerLabel = root.querySelector('.roll-primer');
    this.notes = [];
    this.zoom = 1;
    this.canvas.addEventListener('click', (event) => {
      const note = this.noteAt(event.offsetX, event.offsetY);
      if (note) onNote(note);
    });
    new ResizeObserver(() => this.draw()).observe(this.scroller);
  }

  show(notes, { totalSeconds, primerSeconds = 0 }) {
    this.notes = notes;
    this.seconds = Math.max(totalSeconds, ...notes.map((note) => note.endSeconds), 1);
    this.primerSeconds = primerSeconds;
    const pitches = notes.map((note) => note.pitch);
    const middle = pitches.length ? (Math.min(...pitches) + Math.max(...pitches)) / 2 : 60;
    // At least two octaves, so a few notes still read as a place on the keyboard.
    this.low = Math.max(0, Math.min(Math.floor(middle - 12), ...pitches.map((p) => p - 2)));
    this.high = Math.min(127, Math.max(Math.ceil(middle + 12), ...pitches.map((p) => p + 2)));
    this.draw();
  }

  /** Multiplies the zoom (1 = the whole piece fits the width). */
  zoomBy(factor) {
    this.zoom = factor === 0 ? 1 : Math.min(64, Math.max(1, this.zoom * factor));
    this.draw();
  }

  get pixelsPerSecond() {
    const fit = Math.max(this.scroller.clientWidth - 2, 100) / this.seconds;
    return Math.min(fit * this.zoom, maxCanvasWidth / this.seconds);
  }

  get rowHeight() {
    return Math.max(4, Math.min(12, Math.floor(300 / (this.high - this.low + 1))));
  }

  y(pitch) {
    return (this.high - pitch) * this.rowHeight;
  }

  draw() {
    if (this.seconds === undefined) return;
    const pps = this.pixelsPerSecond;
    const width = Math.ceil(this.seconds * pps);
    const height = (this.high - this.low + 1) * this.rowHeight;
    const ratio = window.devicePixelRatio || 1;
    Object.assign(this.canvas, { width: width * ratio, height: height * ratio });
    Object.assign(this.canvas.style, { width: `${width}px`, height: `${height}px` });
    const context = this.canvas.getContext('2d');
    context.scale(ratio, ratio);
    this.drawRows(context, width);
    this.drawTimeGrid(context, height, pps);
    if (this.primerSeconds > 0) {
      context.fillStyle = 'rgba(60, 150, 90, 0.12)';
      context.fillRect(0, 0, this.primerSeconds * pps, height);
    }
    for (const note of this.notes) {
      const primer = note.startSeconds < this.primerSeconds;
      // Louder is darker: velocity 1 → light, 127 → deep.
      const lightness = 78 - (note.velocity / 127) * 50;
      context.fillStyle = primer ? `hsl(145, 55%, ${lightness}%)` : `hsl(222, 70%, ${lightness}%)`;
      const x = note.startSeconds * pps;
      context.fillRect(x, this.y(note.pitch) + 0.5, Math.max(2, (note.endSeconds - note.startSeconds) * pps), this.rowHeight - 1);
    }
    this.drawKeys(height);
    this.drawTimeAxis(width, pps);
    this.primerLabel.hidden = !(this.primerSeconds > 0);
    this.primerLabel.style.width = `${this.primerSeconds * pps}px`;
    this.playhead.style.height = `${height}px`;
    this.moveTo(this.playheadSeconds);
  }

  drawRows(context, width) {
    for (let pitch = this.low; pitch <= this.high; pitch++) {
      context.fillStyle = blackKeys.has(pitch % 12) ? '#eef0f5' : '#ffffff';
      context.fillRect(0, this.y(pitch), width, this.rowHeight);
      if (pitch % 12 === 0) {
        context.fillStyle = '#b8bfcc';
        context.fillRect(0, this.y(pitch) + this.rowHeight - 1, width, 1);
      }
    }
  }

  drawTimeGrid(context, height, pps) {
    const step = tickSeconds(pps);
    context.fillStyle = '#d8dce6';
    for (let t = step; t < this.seconds; t += step) context.fillRect(Math.round(t * pps), 0, 1, height);
  }

  /** The keyboard column: white and black keys, a label at every C (C4 = middle C). */
  drawKeys(height) {
    const labels = [];
    for (let pitch = this.low; pitch <= this.high; pitch++) {
      const key = document.createElement('span');
      key.className = blackKeys.has(pitch % 12) ? 'key black' : 'key';
      Object.assign(key.style, { top: `${this.y(pitch)}px`, height: `${this.rowHeight}px` });
      labels.push(key);
      if (pitch % 12 === 0) {
        const label = document.createElement('span');
        label.className = 'octave';
        label.textContent = noteName(pitch);
        label.style.top = `${this.y(pitch) + this.rowHeight}px`;
        labels.push(label);
      }
    }
    this.keys.style.height = `${height}px`;
    this.keys.replaceChildren(...labels);
  }

  drawTimeAxis(width, pps) {
    const step = tickSeconds(pps);
    const ticks = [];
    // The last label needs room to be read; one squeezed against the edge is left out.
    for (let t = 0; t * pps <= width - 28; t += step) {
      const tick = document.createElement('span');
      tick.className = 'tick';
      tick.style.left = `${t * pps}px`;
      tick.textContent = `${Number.isInteger(t) ? t : t.toFixed(1)} s`;
      ticks.push(tick);
    }
    this.timeAxis.style.width = `${width}px`;
    this.timeAxis.replaceChildren(...ticks);
  }

  /** Puts the playhead at `seconds` (hidden when undefined) and keeps it in view. */
  moveTo(seconds) {
    this.playheadSeconds = seconds;
    this.playhead.hidden = seconds === undefined;
    if (seconds === undefined || this.seconds === undefined) return;
    const x = seconds * this.pixelsPerSecond;
    this.playhead.style.transform = `translateX(${x}px)`;
    const { scrollLeft, clientWidth } = this.scroller;
    if (x < scrollLeft || x > scrollLeft + clientWidth - 40) this.scroller.scrollLeft = Math.max(0, x - clientWidth / 4);
  }

  noteAt(x, y) {
    const seconds = x / this.pixelsPerSecond;
    const pitch = this.high - Math.floor(y / this.rowHeight);
    return this.notes.find((note) => note.pitch === pitch && note.startSeconds <= seconds && seconds <= Math.max(note.endSeconds, note.startSeconds + 0.1));
  }
}
