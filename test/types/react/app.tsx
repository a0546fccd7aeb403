// A React 19 app: <aries-login> in JSX and the AriesLogin wrapper, each with every event and the attributes' types.
/// <reference types="aries-login/jsx" />
import { useState } from 'react';
import { ariesFetch, getAccessToken } from 'aries-login';
import type { AriesBackendSession, AriesLoginErrorDetail, AriesLoginStrings, AriesTokens } from 'aries-login';
import { AriesLogin } from 'aries-login/react';

const strings: Partial<AriesLoginStrings> = { signIn: 'Log in with Aries', staySignedIn: 'Keep me signed in' };

/** A request with a token that lasts at least a minute, from the app's session. */
export const orders = async (): Promise<Response> =>
  fetch('/api/orders', { headers: { Authorization: `Bearer ${await getAccessToken({ minValidity: 60 })}` } });

/** With a backend that keeps the tokens: Aries' API through it. */
export const accounts = (): Promise<Response> =>
  ariesFetch('/v1/users/me/accounts', undefined, { backendUrl: '/auth' });

/** The token, when the page holds one: the compiler makes the app check. */
const tokenOf = (session: AriesTokens | AriesBackendSession): string =>
  session.tokenHeldBy === 'backend' ? 'held by the backend' : session.accessToken;

export function SignIn({ redirectUri }: { redirectUri: string }) {
  const [tokens, setTokens] = useState<AriesTokens | AriesBackendSession | null>(null);
  const [error, setError] = useState<AriesLoginErrorDetail | null>(null);
  return (
    <div>
      <aries-login
        client-id="demo-spa"
        redirect-uri={redirectUri}
        scope="user:information account:information"
        mode="auto"
        variant="outline"
        size="large"
        shape="pill"
        color-scheme="auto"
        popup-timeout={120}
        full-width
        sign-out
        strings={strings}
        className="sign-in"
        onaries-login-start={(e) => console.log(e.detail.mode)}
        onaries-login-success={(e) => setTokens(e.detail)}
        onaries-login-error={(e) => setError(e.detail)}
        onaries-token-refresh={(e) => setTokens(e.detail)}
        onaries-token-expired={(e) => console.log(new Date(e.detail.expiredAt))}
        onaries-token-expiring={(e) => e.detail.reason === 'session' && e.preventDefault()}
        onaries-logout={() => setTokens(null)}
      />
      <AriesLogin
        clientId="demo-spa"
        redirectUri={redirectUri}
        variant="dark"
        popupTimeout={120}
        strings={strings}
        onAriesLoginStart={(e) => e.detail.mode === 'redirect' && e.preventDefault()}
        onAriesLoginSuccess={(e) => setTokens(e.detail)}
        onAriesLoginError={(e) => setError(e.detail)}
        onAriesTokenRefresh={(e) => setTokens(e.detail)}
        onAriesTokenExpired={(e) => console.log(e.detail.expiredAt)}
        onAriesTokenExpiring={(e) => console.log(new Date(e.detail.expiresAt))}
        onAriesLogout={() => setTokens(null)}
      />
      {tokens && (
        <p>
          Signed in with {tokens.scope}: {tokenOf(tokens)}
        </p>
      )}
      {error && <p>{error.code}</p>}
    </div>
  );
}
