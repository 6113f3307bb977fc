import { z } from 'zod';
import { givenComposerSchema } from '../pipeline/upload-composer.js';
import { uploadNameSchema } from './upload-name.js';

/**
 * The query of `POST /api/uploads` (and the name of `GET /api/uploads/<name>`). Its own module, apart from the
 * routes, so the OpenAPI description reads it without loading the local server.
 */
export const uploadQuery = z.object({
  name: uploadNameSchema,
  composer: givenComposerSchema.optional(),
});

/** The JSON body of `POST /api/train`. */
export const trainBody = z.object({ minutes: z.number().min(0.1).max(60).default(5), fromScratch: z.boolean().default(false) }).strict();
