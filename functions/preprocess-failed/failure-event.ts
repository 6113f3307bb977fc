import type { S3Event } from '../preprocess/s3-event.js';

/**
 * What Lambda sends an asynchronous invocation's on-failure destination: the original event and why it was given up
 * (only the fields read here).
 */
export interface AsyncFailureRecord {
  requestContext: { condition: string; approximateInvokeCount: number };
  requestPayload: S3Event;
  responsePayload?: { errorType?: string; errorMessage?: string };
}

/** One sentence saying why preprocessing gave up, for the rejection record. */
export function failureReason(record: AsyncFailureRecord): string {
  const { condition, approximateInvokeCount } = record.requestContext;
  const cause = record.responsePayload?.errorMessage ?? condition;
  return condition === 'EventAgeExceeded'
    ? `preprocessing did not get to this upload in time (${cause})`
    : `preprocessing failed ${approximateInvokeCount} times (${cause})`;
}
