import { Stack, Validations, type CfnElement } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type { BucketPrefix } from './bucket-prefixes.js';

/** What one principal may do in the data bucket, by top-level key prefix. */
export interface PrefixAccess {
  /** s3:GetObject on objects under these prefixes. */
  read?: BucketPrefix[];
  /** s3:PutObject on objects under these prefixes. */
  write?: BucketPrefix[];
  /** s3:DeleteObject on objects under these prefixes. */
  delete?: BucketPrefix[];
  /**
   * s3:ListBucket on the bucket. Besides listings it decides how S3 answers a read of a missing key:
   * 404 with it, 403 AccessDenied without — and the store (like every existence check: content
   * addressing, `latest.json` before the first model) needs the 404. An `s3:prefix` condition cannot
   * keep that: a read carries no prefix, so the conditioned permission would not count.
   */
  listBucket?: boolean;
}

/**
 * Grants exactly the listed object actions on the listed prefixes — unlike `bucket.grantRead`,
 * which adds `s3:GetObject*`/`s3:List*` wildcards on the whole bucket.
 *
 * @example grantPrefixAccess(bucket, role, { read: ['models/'], listBucket: true })
 */
export function grantPrefixAccess(bucket: s3.Bucket, role: iam.IRole, access: PrefixAccess): void {
  const objectActions: [string, BucketPrefix[] | undefined][] = [
    ['s3:GetObject', access.read],
    ['s3:PutObject', access.write],
    ['s3:DeleteObject', access.delete],
  ];
  for (const [action, prefixes] of objectActions) {
    if (!prefixes?.length) continue;
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: [action],
        resources: prefixes.map((prefix) => bucket.arnForObjects(`${prefix}*`)),
      }),
    );
  }
  const objectPrefixes = new Set(objectActions.flatMap(([, prefixes]) => prefixes ?? []));
  for (const prefix of objectPrefixes) acknowledgePrefixWildcard(bucket, role, prefix);
  if (access.listBucket) {
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [bucket.bucketArn] }));
  }
}

/** cdk-nag flags `arn/prefix*` as a wildcard; for object keys under one prefix it is the narrowest grant there is. */
function acknowledgePrefixWildcard(bucket: s3.Bucket, role: iam.IRole, prefix: BucketPrefix): void {
  const bucketLogicalId = Stack.of(bucket).getLogicalId(bucket.node.defaultChild as CfnElement);
  Validations.of(role).acknowledge({
    id: `AwsSolutions-IAM5[Resource::<${bucketLogicalId}.Arn>/${prefix}*]`,
    reason: `Object access is limited to keys under ${prefix}; the trailing * stands for the object keys, not for other buckets or actions.`,
  });
}
