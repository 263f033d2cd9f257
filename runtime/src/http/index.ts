// The safe HTTP entry: what the engine (tool.http), the server (allow-list settings) and tests use.
export {
  createSafeHttpClient,
  type ManagedSafeHttpClient,
  type SafeHttpClientOptions,
} from "./safe-http-client";
export {
  systemResolver,
  type HostResolver,
  type ResolvedAddress,
  type SocketConnector,
} from "./guarded-connector";
export { parseAllowList, type AllowList } from "./allow-list";
export {
  classifyAddress,
  describeVerdict,
  type AddressClass,
  type AddressVerdict,
  type Embedding,
} from "./address-class";
export { checkAddress, checkHostBeforeConnect, parseTargetUrl } from "./safe-target";
export { describeUrl, HttpError, HTTP_ERRORS, type HttpErrorCode } from "./http-errors";
