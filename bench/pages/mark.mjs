// Bench page helper: evaluated immediately before the CDN module (load.mjs imports it first), so this is t0.
export const evaluationStart = performance.now();
