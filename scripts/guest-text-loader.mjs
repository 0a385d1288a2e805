// `node --import ./scripts/guest-text-loader.mjs`: see guest-text-hooks.mjs.
import { register } from 'node:module'

register('./guest-text-hooks.mjs', import.meta.url)
