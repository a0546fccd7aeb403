// Editor data from custom-elements.json: VS Code's HTML custom data and JetBrains' web-types, written by `npm run build`.
import { readFileSync, writeFileSync } from 'node:fs';

const read = (file) => JSON.parse(readFileSync(new URL(`../${file}`, import.meta.url), 'utf8'));
const write = (file, data) =>
  writeFileSync(new URL(`../${file}`, import.meta.url), `${JSON.stringify(data, null, 2)}\n`);

const pkg = read('package.json');
const manifest = read('custom-elements.json');
const docs = `https://www.npmjs.com/package/${pkg.name}`;

/** Every custom element in the manifest, with the module that declares it. */
const elements = manifest.modules.flatMap((module) =>
  (module.declarations ?? []).filter((d) => d.customElement && d.tagName).map((d) => ({ ...d, module: module.path })),
);
if (!elements.length) throw new Error('custom-elements.json declares no custom element: run `npm run build` first');

const unquote = (value) => value?.replace(/^'(.*)'$/, '$1');
/** `'a' | 'b'` as ['a', 'b']; anything else as undefined. */
const literals = (type) => {
  const parts = type?.text.split('|').map((t) => t.trim());
  return parts?.every((t) => /^'[^']*'$/.test(t)) ? parts.map(unquote) : undefined;
};
const list = (title, items, name = (i) => `\`${i.name}\``) =>
  items?.length
    ? `\n\n**${title}:**\n${items.map((i) => `- ${name(i) || '(default)'}: ${i.description ?? ''}`).join('\n')}`
    : '';

const vscode = {
  $schema: 'https://raw.githubusercontent.com/microsoft/vscode-html-languageservice/main/docs/customData.schema.json',
  version: 1.1,
  tags: elements.map((element) => ({
    name: element.tagName,
    description: {
      kind: 'markdown',
      value:
        element.description +
        list('Events', element.events) +
        list('Slots', element.slots, (s) => s.name && `\`${s.name}\``) +
        list('CSS parts', element.cssParts, (p) => `\`::part(${p.name})\``) +
        list('CSS custom properties', element.cssProperties),
    },
    attributes: (element.attributes ?? []).map((attribute) => {
      const values = literals(attribute.type);
      return {
        name: attribute.name,
        description: { kind: 'markdown', value: attribute.description ?? '' },
        ...(attribute.type?.text === 'boolean' ? { valueSet: 'v' } : {}),
        ...(values ? { values: values.map((name) => ({ name })) } : {}),
      };
    }),
    references: [{ name: 'Documentation', url: docs }],
  })),
};

const webTypes = {
  $schema: 'https://json.schemastore.org/web-types',
  name: pkg.name,
  version: pkg.version,
  'description-markup': 'markdown',
  'js-types-syntax': 'typescript',
  contributions: {
    html: {
      elements: elements.map((element) => ({
        name: element.tagName,
        description: element.description,
        'doc-url': docs,
        source: { module: `./${element.module}`, symbol: element.name },
        attributes: (element.attributes ?? []).map((attribute) => ({
          name: attribute.name,
          description: attribute.description,
          value: {
            type: attribute.type?.text,
            ...(attribute.type?.text === 'boolean' ? { kind: 'no-value' } : {}),
            ...(attribute.default !== undefined ? { default: unquote(attribute.default) } : {}),
          },
        })),
        slots: (element.slots ?? []).map(({ name, description }) => ({ name, description })),
        events: (element.events ?? []).map(({ name, description, type }) => ({
          name,
          description,
          // The manifest's event type names the detail (see custom-elements-manifest.config.mjs); the event is its CustomEvent.
          value: { type: type && `CustomEvent<${type.text}>` },
        })),
        js: {
          properties: (element.members ?? [])
            .filter((m) => m.kind === 'field')
            .map(({ name, description, type, readonly }) => ({
              name,
              description,
              type: type?.text,
              ...(readonly ? { 'read-only': true } : {}),
            })),
          events: (element.events ?? []).map(({ name, description }) => ({ name, description })),
        },
        css: {
          parts: (element.cssParts ?? []).map(({ name, description }) => ({ name, description })),
          properties: (element.cssProperties ?? []).map(({ name, description }) => ({ name, description })),
        },
      })),
    },
  },
};

write('vscode.html-custom-data.json', vscode);
write('web-types.json', webTypes);
console.log('Wrote vscode.html-custom-data.json and web-types.json from custom-elements.json.');
