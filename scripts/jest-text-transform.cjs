// Jest transform for *.guest.js: JavaScript that runs only inside the QuickJS sandbox, imported
// as its text (as esbuild's text loader does for the bundle, scripts/bundle.mjs). The project
// is ESM, so the module Jest gets is ESM too.
module.exports = {
  process(sourceText) {
    return { code: `export default ${JSON.stringify(sourceText)};\n` }
  },
}
