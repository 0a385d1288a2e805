import { createHash } from 'node:crypto'

/** Git's id of a file's content: sha1 of "blob <size>\0" and the bytes. */
export function blobId(content: Buffer): string {
  return createHash('sha1').update(`blob ${content.length}\0`).update(content).digest('hex')
}
