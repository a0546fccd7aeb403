/** Presents the bench's figures: the table printed to the terminal, and the block written into README.md. */
import { readFile, writeFile } from 'node:fs/promises';
import { BUDGETS, SIZE_TARGETS } from './analyze.mjs';

const START = '<!-- bench:start -->';
const END = '<!-- bench:end -->';

const int = (/** @type {number} */ n) => n.toLocaleString('en-US');
const ms = (/** @type {number | undefined} */ n) => (n === undefined ? 'n/a' : n < 10 ? n.toFixed(1) : n.toFixed(0));
const signed = (/** @type {number} */ n) => (n > 0 ? `+${int(n)}` : int(n));
const mb = (/** @type {number} */ bytes) => `${(bytes / 1048576).toFixed(2)} MB`;

/**
 * Lays out rows in columns: the first left-aligned, the others right-aligned. A row given as a string is printed as it is.
 * @param {string} title @param {string[]} header @param {(string[] | string)[]} rows
 */
function section(title, header, rows) {
  const table = [[title, ...header], ...rows.filter(Array.isArray)];
  const widths = table[0].map((_, col) => Math.max(...table.map((row) => String(row[col] ?? '').length)));
  const line = (/** @type {string[]} */ row) =>
    row
      .map((cell, col) => (col === 0 ? cell.padEnd(widths[0]) : String(cell).padStart(widths[col])))
      .join('   ')
      .trimEnd();
  return [line(table[0]), ...rows.map((row) => (Array.isArray(row) ? line(row) : row))].join('\n');
}

/** The budget column: the enforced ceiling and the target, and how the figure stands against each. */
const verdict = (/** @type {number} */ size, /** @type {number} */ budget, /** @type {number} */ target) =>
  `≤ ${int(budget)} ${size > budget ? `OVER by ${int(size - budget)}` : 'ok'}; target ${int(target)}: ${
    size > target ? `${int(size - target)} to cut` : 'met'
  }`;

function speedRow(/** @type {string} */ label, /** @type {import('./stats.mjs').Stats | null} */ stats) {
  return stats ? [label, ms(stats.median), ms(stats.p90), String(stats.n)] : [label, 'n/a', '', ''];
}

/** "a / b ×r" for one first-sign-in figure. @param {any} f */
const versus = (f) => [
  f.widget ? ms(f.widget.median) : 'n/a',
  f.floor ? ms(f.floor.median) : 'n/a',
  f.ratio ? `×${f.ratio.toFixed(2)}` : 'n/a',
];

/** How a case of the first sign-in is named in a row: its latency and its pointer. @param {any} c */
const caseName = (c) => `${c.latency} ms late, ${c.pointer === 'tap' ? 'tap' : 'resting pointer'}`;

/** The rows of one case of the first sign-in: [label, figure]. @param {any} c */
const caseRows = (c) => [
  [`click → authorize request, ${caseName(c)}`, c.clickToAuthorize],
  [`callback → tokens at the opener, ${caseName(c)}`, c.callbackToTokens],
  [`  of which callback page → token request at Aries`, c.callbackToRequest],
  [`  of which token request → tokens at the opener`, c.requestToTokens],
  [`click → tokens (whole sign-in), ${caseName(c)}`, c.clickToTokens],
];

/** The resting pointer's case at the highest latency: the one whose requests and bytes are shown. @param {any} fs */
const restingAtMost = (fs) =>
  fs.byCase.filter((/** @type {any} */ c) => c.pointer === 'resting').at(-1) ?? fs.byCase.at(-1);

/** The first sign-in beside the floor page, per case (latency and pointer). @param {any} fs results.firstSignIn */
function firstSignInRows(fs) {
  return fs.byCase.flatMap((/** @type {any} */ c) => caseRows(c).map(([label, f]) => [label, ...versus(f)]));
}

/** The terminal table. @param {any} r results */
export function formatTable(r) {
  const { sizes, speed, leaks, requests } = r;
  const heading = [
    `aries-login bench (${r.mode}: ${r.runs.loads} page loads each, ${r.runs.cycles} sign-ins after ${r.runs.warmup} warm-up)`,
    `${r.date.slice(0, 16).replace('T', ' ')} UTC · ${r.machine.cpu} × ${r.machine.cores} cores · ${r.machine.chromium} · Node ${r.machine.node}`,
  ].join('\n');
  const size = section(
    'Size (bytes)',
    ['raw', 'gzip', 'brotli', 'ceiling (gzip); target'],
    [
      [
        sizes.cdn.file,
        int(sizes.cdn.raw),
        int(sizes.cdn.gzip),
        int(sizes.cdn.brotli),
        verdict(sizes.cdn.gzip, BUDGETS.cdnGzip, SIZE_TARGETS.cdnGzip),
      ],
      [
        'element’s own code (lit left out)',
        int(sizes.element.raw),
        int(sizes.element.gzip),
        int(sizes.element.brotli),
        verdict(sizes.element.gzip, BUDGETS.elementGzip, SIZE_TARGETS.elementGzip),
      ],
      [`${sizes.flow.file} (first click)`, int(sizes.flow.raw), int(sizes.flow.gzip), int(sizes.flow.brotli), ''],
      [
        `${sizes.relay.file} (with the flow; alone on a popup's callback page)`,
        int(sizes.relay.raw),
        int(sizes.relay.gzip),
        int(sizes.relay.brotli),
        '',
      ],
      [sizes.callback.file, int(sizes.callback.raw), int(sizes.callback.gzip), int(sizes.callback.brotli), ''],
    ],
  );
  const open = speed.openInClick;
  const time = section(
    'Speed (ms)',
    ['median', 'p90', 'n'],
    [
      speedRow('module evaluation → clickable button, 1 element', speed.load1),
      speedRow('module evaluation → clickable buttons, 100 elements', speed.load100),
      `click → window.open in the click’s own task: ${open.yes === open.of ? 'yes' : 'NO'} (${open.yes}/${open.of}${
        open.blocked ? `, ${open.blocked} blocked` : ', none blocked'
      })`,
      speedRow('click → authorize URL requested at Aries', speed.clickToAuthorize),
      speedRow('  of which click → window.open returned (the browser makes the window)', speed.clickToOpenReturned),
      speedRow('callback page → aries-login-success', speed.callbackToSuccess),
      speedRow('  the token request’s round trip (excluded)', speed.tokenRoundTrip),
      speedRow('  the widget’s own overhead', speed.callbackOverhead),
      speedRow('    callback page → token request sent', speed.callbackToTokenRequest),
      speedRow('    token response → event', speed.tokenResponseToEvent),
      speedRow('click → aries-login-success (whole sign-in)', speed.signIn),
    ],
  );
  const g = leaks.growth;
  const row = (
    /** @type {string} */ label,
    /** @type {'heap' | 'listeners' | 'timers' | 'channels' | 'transactions'} */ key,
  ) => [label, int(leaks.initial[key]), int(leaks.before[key]), int(leaks.after[key]), signed(g[key])];
  const leak = section(
    `Leaks (after forced GC)`,
    ['page loaded', `after ${r.runs.warmup} warm-up`, `after ${leaks.cycles} more`, 'growth'],
    [
      row('JS heap (bytes)', 'heap'),
      row('live event listeners', 'listeners'),
      row('live timers', 'timers'),
      row('open BroadcastChannels', 'channels'),
      row('pending transactions (sessionStorage)', 'transactions'),
      `growth is counted from the warm-up on; the heap may grow by ${int(leaks.heapTolerance)} bytes (V8 and Chromium's own buffers)`,
      `heap after GC every quarter: ${r.leaks.heapTrend.map((/** @type {any} */ t) => `${t.cycles}: ${mb(t.heap)}`).join(', ')}`,
      leaks.leaked.length ? `GROWTH: ${leaks.leaked.join('; ')}` : 'no growth',
    ],
  );
  const p = requests.perSignIn;
  const req = section(
    `Requests per sign-in seen by Aries (${requests.signIns} sign-ins)`,
    ['per sign-in'],
    [
      ['authorize page (GET)', String(p.authorize)],
      ['consent decision (POST)', String(p.consent)],
      ['token preflight (OPTIONS)', String(p.tokenPreflight)],
      ['token request (POST); the floor is 1', String(p.token)],
      ['all', String(requests.all)],
    ],
  );
  const fs = r.firstSignIn;
  const at50 = restingAtMost(fs);
  const first = section(
    `First sign-in, fresh context; a resting pointer on the button ≥ ${fs.hoverMs} ms before the click, a tap ${fs.tapMs} ms (medians of ${fs.runs}, ms)`,
    ['widget', 'floor', 'ratio'],
    [
      ...firstSignInRows(fs),
      `requests after the click: widget ${at50.requestsAfterClick.widget.length}, floor ${at50.requestsAfterClick.floor.length}${
        fs.byCase.every((/** @type {any} */ c) => c.requestsAfterClickEqual)
          ? ' (equal in every run)'
          : ' (NOT equal in every run)'
      }`,
      `  widget: ${at50.requestsAfterClick.widget.join(', ')}`,
      `  floor:  ${at50.requestsAfterClick.floor.join(', ')}`,
      `bytes (gzip as a CDN sends it; Aries' answers as sent): widget ${int(at50.bytes.widget.load)} at load, ${int(
        at50.bytes.widget.beforeClick,
      )} before the click (after intent), ${int(at50.bytes.widget.signIn)} for the whole sign-in; floor ${int(
        at50.bytes.floor.load,
      )}, ${int(at50.bytes.floor.beforeClick)}, ${int(at50.bytes.floor.signIn)}`,
    ],
  );
  return [heading, size, time, first, leak, req].join('\n\n');
}

/** The figures as Markdown, for README.md. @param {any} r results */
export function readmeBlock(r) {
  const { sizes, speed, leaks, requests } = r;
  const med = (/** @type {import('./stats.mjs').Stats | null} */ s) => (s ? `${ms(s.median)} ms` : 'n/a');
  const budget = (/** @type {number} */ size, /** @type {number} */ limit, /** @type {number} */ target) =>
    `ceiling ${int(limit)} B gzip: ${size > limit ? `**over by ${int(size - limit)} B**` : 'within'}; target ${int(target)} B: ${
      size > target ? `${int(size - target)} B to cut` : 'met'
    }`;
  const p = requests.perSignIn;
  const fs = r.firstSignIn;
  const at50 = restingAtMost(fs);
  const cell = (/** @type {any} */ s) => (s ? `${ms(s.median)} ms` : 'n/a');
  const first = [
    '',
    `**First sign-in** (a fresh browser context each time: nothing cached, a popup, a real click with the popup`,
    `blocker on; either the pointer rests on the button at least ${fs.hoverMs} ms, until the requests it set off are done,`,
    `before the click, or a tap: the click ${fs.tapMs} ms after the pointer reaches the button, whatever is under way), beside a`,
    `floor page pressed the same way, that has PKCE`,
    `and \`state\` ready, opens Aries' authorize URL in the click, relays the callback inline and sends one JSON token`,
    `POST. Every response after the page has loaded is held back by the latency shown; the CDN files are served`,
    `\`immutable\`, as a pinned CDN URL is. Medians of ${fs.runs} runs of each, interleaved:`,
    '',
    '| first sign-in | widget | floor | ratio |',
    '|---|---|---|---|',
    ...fs.byCase.flatMap((/** @type {any} */ c) =>
      caseRows(c).map(
        ([label, f]) =>
          `| ${label} | ${cell(f.widget)} | ${cell(f.floor)} | ${f.ratio ? `×${f.ratio.toFixed(2)}` : 'n/a'} |`,
      ),
    ),
    `| requests after the click | ${at50.requestsAfterClick.widget.length} | ${at50.requestsAfterClick.floor.length} | ${
      fs.byCase.every((/** @type {any} */ c) => c.requestsAfterClickEqual) ? 'equal in every run' : '**not equal**'
    } |`,
    `| bytes before any click: at load / once the pointer reached the button | ${int(at50.bytes.widget.load)} B / ${int(
      at50.bytes.widget.beforeClick,
    )} B | ${int(at50.bytes.floor.load)} B / ${int(at50.bytes.floor.beforeClick)} B | |`,
    `| bytes for a whole sign-in, page load included | ${int(at50.bytes.widget.signIn)} B | ${int(at50.bytes.floor.signIn)} B | |`,
    '',
    `Bytes are the app's files gzipped (-9) as a CDN sends them, and Aries' answers as the emulator sends them. The`,
    `widget's callback page is the element on the \`redirect-uri\` page, loading the CDN file the app page already`,
    `cached; its opener reads the answer from the popup's URL as soon as the page is there. "Callback" is the moment`,
    `the app's server sends the callback page (the page's own script may never run), for both sides. The rows above`,
    `this table are **warm** figures: sign-ins repeated in one page. All timings move with the machine's load: compare`,
    `figures of one run (widget and floor interleaved), not across runs.`,
  ];
  return [
    `Measured by \`npm run bench\` on ${r.date.slice(0, 10)}: ${r.machine.cpu}, ${r.machine.cores} cores,`,
    `${r.machine.chromium}, Node ${r.machine.node}. Timings are medians of ${r.runs.loads} page loads (each a first visit)`,
    `and of ${r.runs.cycles} popup sign-ins against the local Aries emulator; they vary with the machine.`,
    '',
    '| what | measured | budget |',
    '|---|---|---|',
    `| \`${sizes.cdn.file}\` | ${int(sizes.cdn.raw)} B, ${int(sizes.cdn.gzip)} B gzip, ${int(sizes.cdn.brotli)} B brotli | ${budget(sizes.cdn.gzip, BUDGETS.cdnGzip, SIZE_TARGETS.cdnGzip)} |`,
    `| the element's own code (lit left out) | ${int(sizes.element.raw)} B, ${int(sizes.element.gzip)} B gzip | ${budget(sizes.element.gzip, BUDGETS.elementGzip, SIZE_TARGETS.elementGzip)} |`,
    `| \`${sizes.flow.file}\`, fetched on the first click | ${int(sizes.flow.raw)} B, ${int(sizes.flow.gzip)} B gzip | |`,
    `| \`${sizes.relay.file}\`, imported by the flow; alone, the element's popup callback | ${int(sizes.relay.raw)} B, ${int(sizes.relay.gzip)} B gzip | |`,
    `| \`${sizes.callback.file}\` | ${int(sizes.callback.raw)} B, ${int(sizes.callback.gzip)} B gzip | |`,
    `| module evaluation → clickable button | ${med(speed.load1)} (1 element), ${med(speed.load100)} (100 elements) | |`,
    `| click → \`window.open\` | in the click's own task: ${speed.openInClick.yes === speed.openInClick.of ? 'yes' : 'no'} | |`,
    `| click → authorize URL requested at Aries | ${med(speed.clickToAuthorize)} | |`,
    `| callback → \`aries-login-success\`, the widget's own overhead | ${med(speed.callbackOverhead)} (the token round trip of ${med(speed.tokenRoundTrip)} left out) | |`,
    `| ${leaks.cycles} sign-ins in one page | ${leaks.leaked.length ? `growth: ${leaks.leaked.join('; ')}` : `no leftover listeners, timers, channels or transactions; heap ${signed(Math.round(leaks.growth.heap / 1024))} KB after GC`} | no growth |`,
    `| requests per sign-in at Aries | ${p.authorize} authorize, ${p.consent} consent, ${p.token} token (the floor is 1), ${p.tokenPreflight} CORS preflight | |`,
    ...first,
  ].join('\n');
}

/**
 * Replaces what is between the bench markers in the README, and nothing else.
 * @returns {Promise<boolean>} false when the markers are missing (the README is then left alone)
 */
export async function updateReadme(/** @type {string} */ path, /** @type {string} */ block) {
  const text = await readFile(path, 'utf8');
  const start = text.indexOf(START);
  const end = text.indexOf(END, start);
  if (start < 0 || end < 0) return false;
  await writeFile(path, `${text.slice(0, start + START.length)}\n${block}\n${text.slice(end)}`);
  return true;
}
