// `npm run build` writes custom-elements.json from the element's JSDoc, with module paths pointing at the published dist/ files,
// and from it the element's JSX prop types (dist/custom-elements-jsx.d.ts) that types/jsx.d.ts and types/vue.d.ts build on.
import { customElementJsxPlugin } from 'custom-element-jsx-integration';
const toDist = (path) => path.replace(/^\/?src\/(.*)\.(ts|js)$/, 'dist/$1.js');

/** Rewrites every `src/….ts` module path (modules, exports, references) to its `dist/….js` file. */
const distPaths = () => ({
  name: 'dist-paths',
  packageLinkPhase({ customElementsManifest }) {
    const visit = (value) => {
      if (Array.isArray(value)) value.forEach(visit);
      else if (value && typeof value === 'object') {
        for (const [key, child] of Object.entries(value)) {
          if ((key === 'path' || key === 'module') && typeof child === 'string') value[key] = toDist(child);
          else visit(child);
        }
      }
    };
    visit(customElementsManifest.modules);
  },
});

/**
 * Leaves private members out: they are not API (the CDN build even renames them). The lit plugin also reads lit's
 * `{ state: true }` properties (`_pending`…) as attributes; they are private, so they go with them.
 */
const publicApiOnly = () => ({
  name: 'public-api-only',
  packageLinkPhase({ customElementsManifest }) {
    for (const declaration of customElementsManifest.modules.flatMap((m) => m.declarations ?? [])) {
      const hidden = new Set(
        (declaration.members ?? [])
          .filter((m) => m.privacy === 'private' || m.privacy === 'protected')
          .map((m) => m.name),
      );
      if (declaration.members) declaration.members = declaration.members.filter((m) => !hidden.has(m.name));
      if (declaration.attributes)
        declaration.attributes = declaration.attributes.filter((a) => !hidden.has(a.fieldName));
    }
  },
});

/**
 * Keeps a module's declarations to what it exports: the analyzer also lists variables that a method assigns through a
 * property (`abort.signal.onabort = …` in `signIn()` made `abort` and `popup` module "variables").
 */
const exportedOnly = () => ({
  name: 'exported-only',
  packageLinkPhase({ customElementsManifest }) {
    for (const module of customElementsManifest.modules) {
      const exported = new Set((module.exports ?? []).map((e) => e.declaration?.name));
      if (module.declarations) module.declarations = module.declarations.filter((d) => exported.has(d.name));
    }
  },
});

/**
 * An event's `type` names its `detail`: `@fires {CustomEvent<AriesLoginSuccessDetail>}` becomes
 * `AriesLoginSuccessDetail`. The manifest-to-types generators (custom-element-jsx-integration,
 * custom-element-vuejs-integration) wrap it in `CustomEvent<…>` themselves, and import a plain name from the package.
 */
const detailTypes = () => ({
  name: 'detail-types',
  packageLinkPhase({ customElementsManifest }) {
    for (const declaration of customElementsManifest.modules.flatMap((m) => m.declarations ?? [])) {
      for (const event of declaration.events ?? []) {
        const detail = event.type?.text.match(/^CustomEvent<(.*)>$/s)?.[1];
        if (detail) event.type.text = detail;
      }
    }
  },
});

export default {
  globs: ['src/aries-login-element.ts', 'src/aries-login-define.ts'],
  outdir: '.',
  litelement: true,
  packagejson: false,
  plugins: [
    distPaths(),
    publicApiOnly(),
    exportedOnly(),
    detailTypes(),
    // After the fixes above, which it reads. The element and detail types are imported from dist/index.js.
    customElementJsxPlugin({
      outdir: 'dist',
      fileName: 'custom-elements-jsx.d.ts',
      globalTypePath: './index.js',
      hideLogs: true,
    }),
  ],
};
