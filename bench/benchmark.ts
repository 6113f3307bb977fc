/** A benchmark measures and returns a JSON-serialisable result; the harness (bench/main.ts) prints and stores it. */
export interface Benchmark {
  description: string;
  run(args: string[]): Promise<Record<string, unknown>>;
}
