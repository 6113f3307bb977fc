/** A note while it is still measured in ticks, before the tempo map turns ticks into seconds. */
export interface TickNote {
  channel: number;
  pitch: number;
  velocity: number;
  startTick: number;
  endTick: number;
}

/** A sustain pedal (CC64) message: at or above 64 the pedal is down. */
export interface PedalChange {
  tick: number;
  down: boolean;
}

/** A Set Tempo meta event. */
export interface TempoChange {
  tick: number;
  microsecondsPerQuarter: number;
}
