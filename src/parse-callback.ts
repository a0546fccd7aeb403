/** Reads Aries' answer (`code` or `error`, with `state`) from a callback URL and checks it against its transaction. */
import { AriesLoginError } from './errors.js';
import { assertFresh } from './transaction-store.js';
import type { Transaction } from './transaction.js';

export interface CallbackParams {
  state: string | null;
  code?: string;
  error?: string;
  errorDescription?: string;
  /** Set when the answer breaks RFC 6749 (a parameter repeated, an empty `code` or `error`): why, in English. */
  invalid?: string;
}

/** The parameters of an authorization response (RFC 6749 §4.1.2, and RFC 9207's `iss`): each may appear once. */
const OAUTH_PARAMS = ['code', 'state', 'error', 'error_description', 'error_uri', 'iss'];

/**
 * The callback in `query` (a URL's search part), or null when it carries no OAuth answer (no `code` or `error`
 * parameter at all: then nothing is done). A malformed answer is still a callback, with `invalid` saying why, so that
 * it is cleaned from the URL and reported, never silently ignored. Never throws.
 */
export function parseCallback(query: string): CallbackParams | null {
  const params = new URLSearchParams(query);
  if (!params.has('code') && !params.has('error')) return null;
  const value = (name: string) => params.get(name) ?? undefined;
  const code = value('code');
  const error = value('error');
  const repeated = OAUTH_PARAMS.find((name) => params.getAll(name).length > 1);
  const empty = code === '' ? 'code' : error === '' ? 'error' : undefined;
  const problem = repeated ? `\`${repeated}\` appears more than once` : empty && `\`${empty}\` is empty`;
  return {
    // The first `state`, so that a malformed answer still reaches the sign-in it names, which then fails.
    state: params.get('state'),
    code,
    error,
    errorDescription: value('error_description'),
    ...(problem ? { invalid: `Aries' answer to the sign-in could not be read: ${problem}.` } : {}),
  };
}

/**
 * Whether `pageUrl` is the page of `redirectUri` (same origin and path; the query may differ): only there is a `code`
 * in the URL Aries' answer. Never throws: an unset or unreadable `redirectUri` matches no page.
 */
export function isCallbackPage(pageUrl: string, redirectUri: string | undefined): boolean {
  try {
    const page = new URL(pageUrl);
    const target = new URL(redirectUri!);
    return page.origin === target.origin && page.pathname === target.pathname;
  } catch {
    return false;
  }
}

/** `url` without the OAuth parameters; every other parameter and the fragment stay. */
export function stripCallbackParams(url: string): string {
  const clean = new URL(url);
  for (const name of OAUTH_PARAMS) clean.searchParams.delete(name);
  return clean.href;
}

/**
 * Takes Aries' answer out of `win`'s URL, when `win` shows `redirectUri`'s page: parses it and, in the same task,
 * removes it from the address bar and the history, so that nothing else (a reload, a second element, the popup's own
 * page when its opener read it first) finds it again. Null, with nothing changed, when there is no answer there.
 * Throws only when `win` is another origin's, which cannot be read.
 */
export function takeCallback(win: Window, redirectUri: string | undefined): CallbackParams | null {
  const { href, search } = win.location;
  const callback = isCallbackPage(href, redirectUri) ? parseCallback(search) : null;
  if (callback) win.history.replaceState(win.history.state, '', stripCallbackParams(href));
  return callback;
}

/**
 * The code to exchange, once `state` is the transaction's exactly, the answer is well-formed and Aries reported no
 * error. The state is checked first: an answer that does not belong to this sign-in says nothing about it.
 */
export function checkCallback(transaction: Transaction, callback: CallbackParams, now: number): string {
  if (callback.state !== transaction.state) throw new AriesLoginError('state_mismatch');
  assertFresh(transaction, now);
  if (callback.invalid) throw new AriesLoginError('invalid_request', callback.invalid);
  if (callback.error) {
    throw new AriesLoginError(callback.error, undefined, { description: callback.errorDescription });
  }
  return callback.code!;
}
