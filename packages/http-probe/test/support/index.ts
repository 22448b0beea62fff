export { type KeyPair, makeCertificates, type TestCertificates } from './certificates';
export { expectNowhere, type RunTraces } from './secrets';
export {
  type Handler,
  json,
  type RecordedRequest,
  startHttp,
  startHttps,
  type TestServer,
  waitFor,
} from './servers';
