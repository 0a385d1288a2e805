/**
 * Keeps secrets out of every message a provider produces. Providers pass the values of the
 * credentials they were given; key-shaped tokens are masked even when nobody named them.
 */
const KEY_SHAPES = [/sk-ant-[A-Za-z0-9_-]{8,}/g, /\bsk-(?:proj-)?[A-Za-z0-9_-]{16,}/g, /\bgh[pousr]_[A-Za-z0-9]{20,}/g, /\bBearer\s+[A-Za-z0-9._~+/=-]{16,}/g]

export const REDACTED = '[redacted]'

/** `text` with every occurrence of each secret (8+ characters) and every key-shaped token masked. */
export function redact(text: string, secrets: readonly string[] = []): string {
  let out = text
  for (const secret of secrets) if (secret && secret.length >= 8) out = out.split(secret).join(REDACTED)
  for (const shape of KEY_SHAPES) out = out.replace(shape, REDACTED)
  return out
}

/** Values of environment variables whose names say they hold credentials. */
export function secretValues(env: NodeJS.ProcessEnv): string[] {
  return Object.entries(env)
    .filter(([name, value]) => value && value.length >= 8 && /KEY|TOKEN|SECRET|PASSWORD|CREDENTIAL/i.test(name))
    .map(([, value]) => value!)
}
