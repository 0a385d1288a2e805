/**
 * Writes what the settings table decides into action.yml and the docs (`npm run sync-settings`).
 * Run it after changing src/core/settings.ts; __tests__/repo/settings.test.ts fails until then.
 */
import fs from 'node:fs'
import { GENERATED, withActionInputs, withBlock } from './settings-docs.js'

const write = (file: string, text: string) => {
  if (fs.readFileSync(file, 'utf8') === text) return
  fs.writeFileSync(file, text)
  console.log(`updated ${file}`)
}
write('action.yml', withActionInputs(fs.readFileSync('action.yml', 'utf8')))
for (const { file, marker, render } of GENERATED) write(file, withBlock(fs.readFileSync(file, 'utf8'), marker, render()))
