// Node module hooks: a *.guest.js file (JavaScript that runs only inside the QuickJS sandbox)
// imports as its text, as esbuild's text loader does for dist/ and scripts/jest-text-transform.cjs
// does in the tests. Registered by guest-text-loader.mjs for what runs src/ with tsx (bench).
import { readFile } from 'node:fs/promises'

export async function load(url, context, nextLoad) {
  if (!url.endsWith('.guest.js')) return nextLoad(url, context)
  const text = await readFile(new URL(url), 'utf8')
  return { format: 'module', source: `export default ${JSON.stringify(text)};\n`, shortCircuit: true }
}
