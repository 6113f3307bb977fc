import type { TokenizedFile } from '../dataset/tokenize-file.js';
import { createTokenizePool, TokenizeWorkerError, type TokenizePool } from '../dataset/tokenize-pool.js';
import type { TokenizerName } from '../tokens/tokenizer.js';

/**
 * Tokenizes the local server's uploads in one worker thread (the preprocessing pool's), so parsing a large or hostile
 * file never blocks the event loop that answers `/health`, generate requests and event streams. The worker starts on
 * the first upload: a server nobody uploads to never pays for it.
 *
 * @example
 * const uploads = new UploadTokenizer('performance');
 * const tokenized = await uploads.tokenize(bytes, 'uploads/a.mid');
 * await uploads.close();
 */
export class UploadTokenizer {
  private pool: Promise<TokenizePool> | undefined;

  constructor(private readonly tokenizer: TokenizerName) {}

  async tokenize(bytes: Uint8Array, key: string): Promise<TokenizedFile> {
    const pool = (this.pool ??= createTokenizePool({ jobs: 1, tokenizer: this.tokenizer }).catch((error: unknown) => {
      this.pool = undefined; // the next upload tries again
      throw error;
    }));
    try {
      return (await (await pool).tokenize(bytes, key)).result;
    } catch (error) {
      // A worker that crashed takes no more jobs: the next upload starts a new one.
      if (error instanceof TokenizeWorkerError && this.pool === pool) {
        this.pool = undefined;
        await (await pool).close();
      }
      throw error;
    }
  }

  async close(): Promise<void> {
    await (await this.pool?.catch(() => undefined))?.close();
  }
}
