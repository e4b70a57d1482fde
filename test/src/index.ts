export type { FakeDns, FakeDnsOptions, FakeDnsQuery } from './dns/fake-dns.js';
export { startFakeDns } from './dns/fake-dns.js';
export type { FakeZone } from './dns/fake-zone.js';
export { reverseName } from './dns/reverse-name.js';
export { FakeNetworkError, type FakeNetworkErrorCode } from './errors.js';
export type { FakeDomain, FakeInternet, FakeInternetOptions, FakeMx } from './fake-internet.js';
export { startFakeInternet } from './fake-internet.js';
export {
  type FrontStats,
  type LatencyProxy,
  type LatencyProxyOptions,
  startLatencyProxy,
} from './net/latency-proxy.js';
export { nodeBinary } from './node/node-binary.js';
export type { PostfixInstance, PostfixOptions, PostfixPaths } from './real-mta/postfix.js';
export { startPostfix } from './real-mta/postfix.js';
export { PostfixError, type PostfixErrorCode } from './real-mta/postfix-error.js';
export { startWireTap, type WireTap } from './real-mta/wire-tap.js';
export type { RedisServer, RedisServerOptions } from './redis/redis-server.js';
export { startRedisServer } from './redis/redis-server.js';
export {
  type CorpusWire,
  type CorpusWireCase,
  REPLY_CORPUS,
  replyCorpusOnTheWire,
  type WireReply,
  type WireResult,
  wireMismatches,
} from './smtp/corpus-wire.js';
export { startFakeSmtp } from './smtp/fake-smtp.js';
export type {
  FakeSmtpBehaviour,
  FakeSmtpOptions,
  FakeSmtpServer,
  SmtpSessionRecord,
} from './smtp/fake-smtp-options.js';
export { selfSignedCredentials, type TlsCredentials } from './smtp/tls-credentials.js';
export type { SocksServer } from './socks/socks-server.js';
export { startDanteRefusingPort, startMicrosocks } from './socks/socks-server.js';
