// Two builds from one source: dist/ (ES modules, lit external, .d.ts) for npm, and self-contained minified files for CDNs.
import { readFileSync } from 'node:fs';
import { resolve as resolvePath, sep } from 'node:path';
import resolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import typescript from '@rollup/plugin-typescript';
import MagicString from 'magic-string';
import ts from 'typescript';

const SRC = resolvePath('src') + sep;
const isSrc = (id) => id.startsWith(SRC);

/** Visits every node of an ESTree AST. */
function walk(node, visit, parent) {
  if (!node || typeof node.type !== 'string') return;
  visit(node, parent);
  for (const key of Object.keys(node)) {
    const value = node[key];
    if (Array.isArray(value)) for (const child of value) walk(child, visit, node);
    else if (value && typeof value === 'object' && key !== 'loc') walk(value, visit, node);
  }
}

/** HTML: a run of whitespace with a line break becomes one space (the same rendering outside `white-space: pre`). */
const minifyHtml = (text) => text.replace(/[ \t]*\n\s*/g, ' ');

/**
 * CSS: comments go, whitespace collapses, spaces next to `{ } ; ,` and after `:` go (never before `:`, where a
 * space is a descendant combinator: `a :hover`), and so does the zero of `0.5`. A quoted string keeps its characters
 * (only its runs of whitespace collapse), and an attribute selector's quotes go when the value is a plain word. Returns
 * undefined when the text cannot be read safely (a comment or string that continues past an expression).
 */
function minifyCss(text, first, last) {
  let out = '';
  for (const [, string, comment, rest] of text.matchAll(/('[^'\n]*'|"[^"\n]*")|(\/\*[\s\S]*?\*\/)|([^'"/]+|\/)/g)) {
    if (string) out += string;
    else if (!comment) out += rest;
  }
  if (/['"]|\/\*/.test(out.replace(/'[^'\n]*'|"[^"\n]*"/g, ''))) return undefined;
  out = out
    .replace(/\s+/g, ' ')
    .replace(/ ?([{};,]) ?/g, '$1')
    .replace(/: /g, ':')
    .replace(/;}/g, '}')
    .replace(/([ :,(])0\.(\d)/g, '$1.$2')
    .replace(/\[([\w-]+)='([a-z][\w-]*)'\]/gi, '[$1=$2]');
  if (first) out = out.replace(/^ /, '');
  if (last) out = out.replace(/ $/, '');
  return out;
}

/**
 * Collapses whitespace inside the `html` and `css` tagged templates of src/ (lit's), after TypeScript. Only the
 * literal text between expressions changes; a template with a backslash (escapes, line continuations) or with
 * `<pre>`, `<textarea>`, `<script>` or `<style>` is left exactly as written.
 */
export function minifyLitTemplates() {
  return {
    name: 'minify-lit-templates',
    transform(code, id) {
      if (!isSrc(id) || !/\b(html|css)\s*`/.test(code)) return null;
      const s = new MagicString(code);
      walk(this.parse(code), (node) => {
        if (node.type !== 'TaggedTemplateExpression' || node.tag.type !== 'Identifier') return;
        const tag = node.tag.name;
        if (tag !== 'html' && tag !== 'css') return;
        const { quasis } = node.quasi;
        if (quasis.some((q) => code.slice(q.start, q.end) !== q.value.raw || q.value.raw.includes('\\'))) return;
        if (tag === 'html' && quasis.some((q) => /<\/?(pre|textarea|script|style)\b/i.test(q.value.raw))) return;
        const minified = quasis.map((q, i) =>
          tag === 'html' ? minifyHtml(q.value.raw) : minifyCss(q.value.raw, i === 0, i === quasis.length - 1),
        );
        if (minified.includes(undefined)) return;
        quasis.forEach((q, i) => {
          if (minified[i] === q.value.raw) return;
          if (minified[i]) s.overwrite(q.start, q.end, minified[i]);
          else s.remove(q.start, q.end);
        });
      });
      return s.hasChanged() ? { code: s.toString(), map: s.generateMap({ hires: true, source: id }) } : null;
    },
  };
}

/** The property names terser shortens in the CDN files: our own `_camelCase` members, never lit's `_$…` ones. */
export const MANGLED = /^_[a-z]/;

/**
 * Makes property mangling provably safe, or stops the build. Terser renames every property matching MANGLED, in every
 * module, consistently within one file; that is only correct if each such name is a TypeScript `private` member of a
 * class in src/ (so no code outside the class, no JSON, message or storage format, and no other build reads it), is
 * never spelled as a string (`changed.has('_x')`, `this['_x']`), appears in no dependency (lit), and, when declared in
 * `static properties`, is `state: true` or names its attribute (lit derives attribute names from property names).
 */
export function mangleGuard() {
  const privates = new Set();
  const problems = [];
  return {
    name: 'mangle-guard',
    buildStart() {
      privates.clear();
      problems.length = 0;
    },
    transform(code, id) {
      if (isSrc(id) && id.endsWith('.ts')) {
        const source = ts.createSourceFile(id, readFileSync(id, 'utf8'), ts.ScriptTarget.Latest, true);
        const staticProperties = new Set();
        const visit = (node) => {
          const name = node.name && ts.isIdentifier(node.name) ? node.name.text : undefined;
          const mangled = name !== undefined && MANGLED.test(name);
          const isPrivate =
            ts.canHaveModifiers(node) && !!ts.getModifiers(node)?.some((m) => m.kind === ts.SyntaxKind.PrivateKeyword);
          if (mangled && isPrivate) privates.add(name);
          // Read only through `this` (TypeScript checks `private` there), never in an object literal that may travel.
          if (mangled && ts.isPropertyAccessExpression(node) && node.expression.kind !== ts.SyntaxKind.ThisKeyword) {
            problems.push(`${id}: ${node.getText()} reads ${name} off something other than \`this\``);
          }
          if (
            mangled &&
            (ts.isPropertyAssignment(node) || ts.isShorthandPropertyAssignment(node)) &&
            !staticProperties.has(node)
          ) {
            problems.push(`${id}: the object literal key ${name} would be mangled`);
          }
          if (
            ts.isPropertyDeclaration(node) &&
            name === 'properties' &&
            node.initializer &&
            ts.isObjectLiteralExpression(node.initializer)
          ) {
            for (const property of node.initializer.properties) {
              staticProperties.add(property);
              const key = property.name && ts.isIdentifier(property.name) ? property.name.text : '';
              const options = ts.isPropertyAssignment(property) ? property.initializer.getText() : '';
              if (MANGLED.test(key) && !/\bstate\s*:\s*true\b|\battribute\s*:/.test(options)) {
                problems.push(
                  `${id}: reactive property ${key} has an attribute named after it; make it \`state: true\` or name the attribute`,
                );
              }
            }
          }
          ts.forEachChild(node, visit);
        };
        visit(source);
        return null;
      }
      // A dependency's `_x` names may be read by code outside this file (another copy of lit, its dev tools).
      const found = new Set();
      walk(this.parse(code), (node) => {
        const key =
          node.type === 'MemberExpression'
            ? !node.computed && node.property
            : (node.type === 'Property' || node.type.endsWith('Definition')) && !node.computed && node.key;
        if (key?.type === 'Identifier' && MANGLED.test(key.name)) found.add(key.name);
      });
      if (found.size) problems.push(`${id} (a dependency) uses ${[...found].join(', ')}, which would be mangled`);
      return null;
    },
    renderChunk(code, chunk) {
      walk(this.parse(code), (node) => {
        let name;
        if (node.type === 'MemberExpression' && !node.computed) name = node.property.name;
        else if ((node.type === 'Property' || node.type.endsWith('Definition')) && !node.computed)
          name = node.key.name ?? node.key.value;
        if (typeof name === 'string' && MANGLED.test(name) && !privates.has(name)) {
          problems.push(`${chunk.fileName}: ${name} would be mangled but is not a private member declared in src/`);
        }
        const text =
          node.type === 'Literal' ? node.value : node.type === 'TemplateElement' ? node.value.cooked : undefined;
        if (typeof text === 'string') {
          for (const [, word] of text.matchAll(/(?<![\w$])(_[\w$]+)/g)) {
            if (privates.has(word))
              problems.push(`${chunk.fileName}: the string "${text}" names ${word}, which is mangled`);
          }
        }
      });
      if (problems.length) this.error(`Property mangling is not safe:\n  ${[...new Set(problems)].join('\n  ')}`);
      return null;
    },
  };
}

/** What makes a CDN file small: lit's templates collapsed, then terser (with our private members shortened). */
export const minifyPlugins = () => [
  minifyLitTemplates(),
  mangleGuard(),
  terser({
    ecma: 2021,
    module: true,
    compress: { passes: 3 },
    mangle: { properties: { regex: MANGLED, keep_quoted: true } },
    format: { comments: false },
  }),
];

/**
 * Keeps the licence notices of the bundled dependencies (lit's BSD-3-Clause), which the minifier drops with every other
 * comment: one line at the top of each file that bundles them, naming the packages and their `@license` text.
 */
export function licenceNotices() {
  return {
    name: 'licence-notices',
    renderChunk(code, chunk) {
      const notices = new Map(); // licence text → the packages under it
      for (const id of chunk.moduleIds) {
        const name = id.match(/[\\/]node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)/)?.[1].replace('\\', '/');
        const licence = name && readFileSync(id, 'utf8').match(/\/\*\*?\s*\*?\s*@license([\s\S]*?)\*\//)?.[1];
        if (!licence) continue;
        const text = licence.replace(/\s*\*\s*/g, ' ').trim();
        notices.set(text, (notices.get(text) ?? new Set()).add(name));
      }
      if (!notices.size) return null;
      const s = new MagicString(code);
      s.prepend(`/*! ${[...notices].map(([text, names]) => `${[...names].join(', ')}: ${text}`).join('; ')} */\n`);
      return { code: s.toString(), map: s.generateMap({ hires: true }) };
    },
  };
}

const cdnPlugins = () => [
  resolve(),
  // `inlineSources`: the maps carry the TypeScript sources themselves, so that a CDN user's devtools show them.
  typescript({ outDir: 'cdn', declaration: false, declarationMap: false, sourceMap: true, inlineSources: true }),
  ...minifyPlugins(),
  licenceNotices(),
];

const entries = [
  'src/index.ts',
  'src/aries-login-define.ts',
  'src/aries-login-element.ts',
  'src/callback-page.ts',
  'src/react.ts',
];

export default [
  {
    input: entries,
    external: [/^lit(\/|$)/, /^@lit\//, /^react(\/|$)/],
    output: { dir: 'dist', format: 'es', preserveModules: true, preserveModulesRoot: 'src', sourcemap: true },
    plugins: [
      typescript({ outDir: 'dist', declaration: true, declarationMap: true, sourceMap: true, inlineSources: true }),
    ],
  },
  // The CDN files: one <script type="module"> each, lit included. The button's file fetches the rest (the flow after
  // the click, a language other than English) from beside itself on first use; the callback page's file stands alone.
  {
    input: { 'aries-login': 'src/index.ts' },
    // The flow imports a few internals from the entry file, which exports them too, rather than a third file.
    preserveEntrySignatures: 'allow-extension',
    output: {
      dir: 'cdn',
      format: 'es',
      sourcemap: true,
      entryFileNames: '[name].min.js',
      // The flow and the relay (src/complete-callback.ts, all that the element on a popup's callback page runs; the
      // flow imports the modules it shares with it from there) are hashed, so that a cached entry file never runs
      // another release's; a language file is data, and a string it lacks falls back to English.
      chunkFileNames: ({ name }) =>
        name === 'flow'
          ? 'aries-login-flow-[hash].min.js'
          : name === 'complete-callback'
            ? 'aries-login-relay-[hash].min.js'
            : 'i18n/[name].js',
    },
    plugins: cdnPlugins(),
  },
  // The callback page's file relays a popup's answer on its own; a redirect sign-in's token exchange and a failure's
  // messages are fetched from beside it when needed.
  {
    input: { 'aries-login-callback': 'src/callback-page.ts' },
    preserveEntrySignatures: 'allow-extension',
    output: {
      dir: 'cdn',
      format: 'es',
      sourcemap: true,
      entryFileNames: '[name].min.js',
      chunkFileNames: 'aries-login-callback-[name]-[hash].min.js',
    },
    plugins: cdnPlugins(),
  },
];
