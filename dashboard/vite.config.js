// The page decodes the project's own .proto files: they are read at build time from
// proto/vigil/v1 (or VIGIL_PROTO_DIR) and parsed in the browser by protobufjs, so the wire
// contract has exactly one copy.
import { readdirSync, readFileSync } from 'node:fs';
import { resolve, join } from 'node:path';
import { defineConfig } from 'vite';

const proto_dir = resolve(process.env.VIGIL_PROTO_DIR ?? join(import.meta.dirname, '../proto/vigil/v1'));
const virtual_id = 'virtual:vigil-protos';

function vigil_protos() {
  return {
    name: 'vigil-protos',
    resolveId: (id) => (id === virtual_id ? '\0' + virtual_id : null),
    load(id) {
      if (id !== '\0' + virtual_id) return null;
      const files = {};
      for (const name of readdirSync(proto_dir).filter((n) => n.endsWith('.proto')).sort()) {
        const path = join(proto_dir, name);
        this.addWatchFile(path);
        files[name] = readFileSync(path, 'utf8');
      }
      if (Object.keys(files).length === 0) this.error(`no .proto files in ${proto_dir}`);
      return `export default ${JSON.stringify(files)};`;
    },
  };
}

// Mosquitto 2.0.11's http_dir sends no Content-Type header, and browsers refuse a module
// script (and may refuse a stylesheet) without one. So the build is one index.html with the
// script and styles inline: only the HTML is fetched, and browsers sniff that reliably.
function inline_into_html() {
  return {
    name: 'vigil-inline',
    enforce: 'post',
    generateBundle(_, bundle) {
      const html = bundle['index.html'];
      let text = html.source;
      for (const [name, item] of Object.entries(bundle)) {
        const src = `"./${name}"`;
        if (name.endsWith('.js')) {
          const code = item.code.replaceAll('</script', '<\\/script');
          text = text.replace(new RegExp(`<script type="module" crossorigin src=${src}></script>`), () => `<script type="module">${code}</script>`);
        } else if (name.endsWith('.css')) {
          text = text.replace(new RegExp(`<link rel="stylesheet" crossorigin href=${src}>`), () => `<style>${item.source}</style>`);
        } else continue;
        if (text.includes(src)) this.error(`could not inline ${name}`);
        delete bundle[name];
      }
      html.source = text;
    },
  };
}

export default defineConfig({
  // Relative asset URLs: the built files work from any http_dir and any URL path.
  base: './',
  plugins: [vigil_protos(), inline_into_html()],
  build: { outDir: process.env.VIGIL_DASHBOARD_OUT ?? 'dist', emptyOutDir: true, target: 'es2022' },
});
