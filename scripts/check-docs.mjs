// Checks that the README's tables (attributes, events, parts, custom properties) and its slot text agree with
// custom-elements.json, which `npm run build` generates from the JSDoc in src/aries-login-element.ts.
import { readFileSync, statSync } from 'node:fs';

const root = new URL('..', import.meta.url);
const MANIFEST = 'custom-elements.json';
const SOURCE = 'src/aries-login-element.ts';

let manifest;
try {
  if (statSync(new URL(MANIFEST, root)).mtimeMs < statSync(new URL(SOURCE, root)).mtimeMs) {
    throw new Error(`${MANIFEST} is older than ${SOURCE}`);
  }
  manifest = JSON.parse(readFileSync(new URL(MANIFEST, root), 'utf8'));
} catch (error) {
  console.error(`check-docs: ${error.message}. Run \`npm run build\` first (it writes ${MANIFEST}).`);
  process.exit(1);
}
const readme = readFileSync(new URL('README.md', root), 'utf8');

const element = manifest.modules.flatMap((m) => m.declarations ?? []).find((d) => d.customElement);
const problems = [];

/** Every Markdown table, as rows of cells (header first), with the heading it sits under. */
function tables(markdown) {
  const found = [];
  let heading = '';
  let table;
  for (const line of markdown.split('\n')) {
    if (/^#+ /.test(line)) heading = line.replace(/^#+ /, '');
    if (line.startsWith('|')) {
      const cells = line
        .replace(/^\||\|$/g, '')
        .split(/(?<!\\)\|/)
        .map((cell) => cell.trim());
      if (cells.every((cell) => /^:?-+:?$/.test(cell))) continue;
      if (!table) found.push((table = { heading, rows: [] }));
      table.rows.push(cells);
    } else table = undefined;
  }
  return found;
}
const codeSpans = (cell) => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]);
const unquote = (value) => value?.replace(/^(['"])(.*)\1$/, '$2');
const byHeader = (first) => tables(readme).filter((t) => t.rows[0][0].toLowerCase() === first);

/** Reports what one side lists and the other does not. */
function compare(table, noun, inReadme, inManifest) {
  const readmeSet = new Set(inReadme);
  const manifestSet = new Set(inManifest);
  for (const name of readmeSet) {
    if (!manifestSet.has(name))
      problems.push(`README's ${table} lists the ${noun} \`${name}\`, which ${MANIFEST} does not have.`);
  }
  for (const name of manifestSet) {
    if (!readmeSet.has(name))
      problems.push(`${MANIFEST} has the ${noun} \`${name}\`, which README's ${table} does not list.`);
  }
}

// Attributes: | attribute | property | default | meaning |, several attributes to a row allowed (`popup-width`, `popup-height`).
const [attributeTable] = byHeader('attribute');
if (!attributeTable) problems.push('README has no attributes table (a table whose first column is "attribute").');
else {
  const rows = attributeTable.rows.slice(1).flatMap(([attributes, properties, defaults]) => {
    const names = codeSpans(attributes);
    const fields = codeSpans(properties ?? '');
    const values = codeSpans(defaults ?? '');
    return names.map((name, i) => ({
      name,
      field: fields[i],
      default: /required/i.test(defaults ?? '') ? '' : values[i],
    }));
  });
  const attributes = element.attributes ?? [];
  compare(
    'attributes table',
    'attribute',
    rows.map((r) => r.name),
    attributes.map((a) => a.name),
  );
  for (const row of rows) {
    const attribute = attributes.find((a) => a.name === row.name);
    if (!attribute) continue;
    if (row.field !== attribute.fieldName) {
      problems.push(
        `README says attribute \`${row.name}\` is property \`${row.field}\`; ${MANIFEST} says \`${attribute.fieldName}\`.`,
      );
    }
    if (row.default !== undefined && attribute.default !== undefined && row.default !== unquote(attribute.default)) {
      problems.push(
        `README gives \`${row.name}\` the default \`${row.default || '(required)'}\`; ${MANIFEST} says ${attribute.default}.`,
      );
    }
  }
}

// Events: | event | detail | when |
const [eventTable] = byHeader('event');
if (!eventTable) problems.push('README has no events table (a table whose first column is "event").');
else {
  compare(
    'events table',
    'event',
    eventTable.rows.slice(1).flatMap(([name]) => codeSpans(name)),
    (element.events ?? []).map((e) => e.name),
  );
}

// Parts and custom properties: the styling table's `::part(name)` and `--name` rows.
const styling = tables(readme).filter((t) => t.rows.some(([first]) => /::part\(|^`--/.test(first)));
if (!styling.length) problems.push('README has no styling table (rows with `::part(…)` and `--…`).');
else {
  const rows = styling.flatMap((t) => t.rows.slice(1));
  const parts = rows.flatMap(([first]) => codeSpans(first)).flatMap((s) => s.match(/^::part\(([\w-]+)\)$/)?.[1] ?? []);
  compare(
    'styling table',
    'part',
    parts,
    (element.cssParts ?? []).map((p) => p.name),
  );
  const properties = rows.flatMap(([first, what]) =>
    codeSpans(first)
      .filter((s) => s.startsWith('--'))
      .map((name) => ({ name, default: what?.match(/\(default `([^`]+)`\)/)?.[1] })),
  );
  compare(
    'styling table',
    'custom property',
    properties.map((p) => p.name),
    (element.cssProperties ?? []).map((p) => p.name),
  );
  for (const property of properties) {
    const declared = element.cssProperties?.find((p) => p.name === property.name);
    if (property.default && declared?.default && property.default !== declared.default) {
      problems.push(
        `README gives \`${property.name}\` the default \`${property.default}\`; ${MANIFEST} says \`${declared.default}\`.`,
      );
    }
  }
}

// Slots: a slot table if there is one (| slot | … |), else the text: "default slot" and `slot="name"`.
const [slotTable] = byHeader('slot');
const slots = (element.slots ?? []).map((s) => s.name);
if (slotTable) {
  const names = slotTable.rows
    .slice(1)
    .map(([first]) => (/default/i.test(first) ? '' : (codeSpans(first)[0] ?? first)));
  compare('slots table', 'slot', names, slots);
} else {
  const named = [...readme.matchAll(/slot="([\w-]+)"/g)].map((m) => m[1]);
  compare(
    'text ("default slot", `slot="…"`)',
    'slot',
    [...(/default slot/i.test(readme) ? [''] : []), ...named],
    slots,
  );
}

if (problems.length) {
  console.error(
    `check-docs: README.md and ${MANIFEST} (from the JSDoc in ${SOURCE}) disagree:\n` +
      problems.map((p) => `  - ${p.replace(/``/g, '(default slot)')}`).join('\n') +
      `\nFix the README table, or the JSDoc (@fires, @slot, @csspart, @cssprop, property comments) and run \`npm run build\`.`,
  );
  process.exit(1);
}
console.log(`check-docs: README.md agrees with ${MANIFEST}.`);
