/** What s3rver accepts (any SDK or CLI call signed with these works against both local servers). */
export const localCredentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
export const localRegion = 'us-east-1';
