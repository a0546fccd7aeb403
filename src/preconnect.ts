/** Warms the connection a sign-in's code exchange will use, on intent (pointer, focus, touch), a moment before the click. */

/** Opens the connection to `url`'s origin ahead of use (DNS, TCP, TLS), once per origin, unless it is the page's own. */
export function preconnect(doc: Document, url: string, credentials: boolean): void {
  const { origin } = new URL(url, doc.baseURI);
  if (origin === doc.location?.origin || doc.head.querySelector(`link[rel=preconnect][href="${origin}"]`)) return;
  const link = doc.createElement('link');
  link.rel = 'preconnect';
  link.href = origin;
  // A connection is only reused by requests of the same credentials mode: the backend's carry cookies, Aries' none.
  link.crossOrigin = credentials ? 'use-credentials' : 'anonymous';
  doc.head.append(link);
}
