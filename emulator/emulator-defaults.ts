/** The emulator's ports, folder and names when no flag says otherwise (apart from the servers, so the CLI can read them cheaply). */
export const emulatorDefaults = {
  s3Port: 4568,
  sqsPort: 9324,
  apiPort: 8601,
  dataDir: '.rubato-emulate',
  bucket: 'rubato-data',
  queue: 'rubato-train-requests',
  /** Shorter than the stack's 30: a laptop demo should publish a model while someone waits. */
  trainMinutes: 5,
} as const;
