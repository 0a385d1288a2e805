/**
 * Files named *.guest.js hold JavaScript that runs only inside the QuickJS sandbox. They are
 * imported as their text (esbuild's text loader in scripts/bundle.mjs, a text transform in
 * jest.config.js), never as Node modules.
 */
declare module '*.guest.js' {
  const text: string
  export default text
}
