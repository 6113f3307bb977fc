import { Duration } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { bucketPrefixes } from './bucket-prefixes.js';

/** The data bucket (uploads, datasets, models, checkpoints) and the bucket that receives its access logs. */
export class DataBucket extends Construct {
  readonly bucket: s3.Bucket;
  readonly logBucket: s3.Bucket;

  constructor(scope: Construct, id: string) {
    super(scope, id);

    this.logBucket = new s3.Bucket(this, 'AccessLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      lifecycleRules: [{ id: 'ExpireAccessLogs', expiration: Duration.days(90) }],
    });

    // Retained on `cdk destroy` (the default): user uploads and trained models outlive the stack.
    this.bucket = new s3.Bucket(this, 'Data', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      versioned: true,
      serverAccessLogsBucket: this.logBucket,
      serverAccessLogsPrefix: 'data-bucket/',
      lifecycleRules: [
        // A rejection report only explains a bad upload to its author.
        { id: 'ExpireRejectionReports', prefix: bucketPrefixes.rejected, expiration: Duration.days(30) },
        // Checkpoints are rewritten every few minutes: keep no history, drop runs abandoned for two weeks.
        {
          id: 'ExpireCheckpoints',
          prefix: bucketPrefixes.checkpoints,
          expiration: Duration.days(14),
          noncurrentVersionExpiration: Duration.days(1),
        },
        // Versioning protects against a bad overwrite or delete, for a month.
        {
          id: 'ExpireNoncurrentVersions',
          noncurrentVersionExpiration: Duration.days(30),
          expiredObjectDeleteMarker: true,
          abortIncompleteMultipartUploadAfter: Duration.days(7),
        },
      ],
    });
  }
}
