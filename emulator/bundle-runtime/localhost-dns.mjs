// Preloaded (`node --import`) into the processes that run deployed code under `rubato emulate --bundles`. The
// emulated SQS names its queues `http://sqs.<region>.localhost:<port>/…`, and the SDK sends each request to its
// queue URL's host; names under `.localhost` are loopback (RFC 6761), which this machine's resolver does not answer.
import dns from 'node:dns';

const original = dns.lookup;
dns.lookup = (hostname, options, callback) => {
  if (typeof options === 'function') return dns.lookup(hostname, {}, options);
  if (!hostname.endsWith('.localhost')) return original(hostname, options, callback);
  if (options?.all) return callback(null, [{ address: '127.0.0.1', family: 4 }]);
  return callback(null, '127.0.0.1', 4);
};
