/** The package entry: registers `<aries-login>` and exports its types and building blocks. */
import './aries-login-define.js';

export { AriesLoginElement, ariesFetch, getAccessToken } from './aries-login-element.js';
export { AriesLoginError, type AriesLoginErrorCode, type AriesLoginErrorDetail } from './errors.js';
export type {
  AriesLoginEventMap,
  AriesLoginStartDetail,
  AriesLoginSuccessDetail,
  AriesLogoutDetail,
  AriesTokenExpiredDetail,
  AriesTokenExpiringDetail,
  AriesTokenRefreshDetail,
} from './events.js';
export type { CompletedSignIn } from './relay-callback.js';
export type { GetAccessTokenOptions } from './get-access-token.js';
export type { AriesFetchOptions } from './session-fetch.js';
export type { AriesLoginStrings } from './labels.js';
export type { AriesBackendSession, AriesTokens } from './token-client.js';
