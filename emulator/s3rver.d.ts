// s3rver ships no types; these are the parts the emulator uses.
declare module 's3rver' {
  import type { AddressInfo } from 'node:net';

  interface S3rverOptions {
    address?: string;
    port?: number;
    silent?: boolean;
    directory?: string;
    resetOnClose?: boolean;
    configureBuckets?: Array<{ name: string }>;
  }

  export default class S3rver {
    constructor(options: S3rverOptions);
    run(): Promise<AddressInfo>;
    /** S3-shaped notifications (one record each) for objects written, copied or deleted. */
    on(event: 'event', listener: (event: { Records: Array<{ eventName: string; s3: { bucket: { name: string }; object: { key: string; size?: number } } }> }) => void): this;
    close(): Promise<void>;
  }
}
