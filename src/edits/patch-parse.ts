/**
 * Reads the patches the runner itself makes (`git diff --binary --full-index --find-renames`)
 * into file changes, for the fast way of landing them (fast-apply.ts). Anything it does not
 * read with certainty (a quoted path, a binary delta, a line it does not expect) makes it
 * return undefined, and the patch lands the slow way, through git, which reads everything.
 */

/** One line range of a text change: the old lines from `oldStart` replaced as `lines` say. */
export interface Hunk {
  oldStart: number
  oldCount: number
  /** Each line as the patch has it: ' ' kept, '-' removed, '+' added; `noNewline` when "\ No newline at end of file" follows. */
  lines: Array<{ kind: ' ' | '-' | '+'; text: string; noNewline: boolean }>
}

export interface FilePatch {
  /** Where the file was (undefined for a new file) and where it is now (undefined when deleted). */
  oldPath?: string
  newPath?: string
  oldMode?: string
  newMode?: string
  /** Blob ids from the `index` line; absent for a pure rename or mode change (the content stays). */
  oldId?: string
  newId?: string
  hunks: Hunk[]
  /** The new content of a binary file (a `literal` patch), zlib-deflated. */
  literal?: Buffer
}

const HEADER = /^diff --git a\/(\S+) b\/(\S+)$/
const INDEX = /^index ([0-9a-f]{40})\.\.([0-9a-f]{40})(?: (\d{6}))?$/
const HUNK = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/

/** The file changes of a patch, or undefined when it holds anything this reader does not handle. */
export function parsePatch(text: string): FilePatch[] | undefined {
  const lines = text.split('\n')
  if (lines[lines.length - 1] === '') lines.pop()
  const files: FilePatch[] = []
  let i = 0
  while (i < lines.length) {
    const header = HEADER.exec(lines[i]!)
    if (!header) return undefined
    const file: FilePatch = { oldPath: header[1], newPath: header[2], hunks: [] }
    i = readExtendedHeader(lines, i + 1, file)
    if (i < 0) return undefined
    i = readBody(lines, i, file)
    if (i < 0) return undefined
    files.push(file)
  }
  return files
}

/** The lines between `diff --git` and the content; returns where the content starts, or -1. */
function readExtendedHeader(lines: string[], from: number, file: FilePatch): number {
  let i = from
  for (; i < lines.length && !lines[i]!.startsWith('diff --git '); i++) {
    const line = lines[i]!
    const index = INDEX.exec(line)
    if (index) {
      file.oldId = index[1]
      file.newId = index[2]
      if (index[3]) file.oldMode = file.newMode = index[3]
    } else if (line.startsWith('new file mode ')) {
      file.newMode = line.slice(14)
      file.oldPath = undefined
    } else if (line.startsWith('deleted file mode ')) {
      file.oldMode = line.slice(18)
      file.newPath = undefined
    } else if (line.startsWith('old mode ')) file.oldMode = line.slice(9)
    else if (line.startsWith('new mode ')) file.newMode = line.slice(9)
    else if (line.startsWith('rename from ') || line.startsWith('rename to ') || line.startsWith('similarity index ')) continue
    else if (line.startsWith('--- ') || line.startsWith('GIT binary patch') || line.startsWith('Binary files ')) break
    else return -1
  }
  return i
}

/** Hunks or a binary literal; returns where the next file starts, or -1. */
function readBody(lines: string[], from: number, file: FilePatch): number {
  let i = from
  if (i >= lines.length || lines[i]!.startsWith('diff --git ')) return i
  if (lines[i]!.startsWith('Binary files ')) return -1 // no content in the patch
  if (lines[i] === 'GIT binary patch') return readLiteral(lines, i + 1, file)
  if (!lines[i]!.startsWith('--- ') || !lines[i + 1]?.startsWith('+++ ')) return -1
  i += 2
  while (i < lines.length && !lines[i]!.startsWith('diff --git ')) {
    const range = HUNK.exec(lines[i]!)
    if (!range) return -1
    const hunk: Hunk = { oldStart: Number(range[1]), oldCount: range[2] === undefined ? 1 : Number(range[2]), lines: [] }
    let oldLeft = hunk.oldCount
    let newLeft = range[4] === undefined ? 1 : Number(range[4])
    for (i++; i < lines.length && (oldLeft > 0 || newLeft > 0); i++) {
      const line = lines[i]!
      const kind = line[0]
      if (kind !== ' ' && kind !== '-' && kind !== '+') return -1
      hunk.lines.push({ kind, text: line.slice(1), noNewline: false })
      if (kind !== '+') oldLeft--
      if (kind !== '-') newLeft--
      if (lines[i + 1] === '\\ No newline at end of file') {
        hunk.lines[hunk.lines.length - 1]!.noNewline = true
        i++
      }
    }
    if (oldLeft !== 0 || newLeft !== 0) return -1
    file.hunks.push(hunk)
  }
  return i
}

/** `literal <size>` then base85 lines, then the reverse hunk (ignored); a delta is not read here. */
function readLiteral(lines: string[], from: number, file: FilePatch): number {
  const head = /^literal (\d+)$/.exec(lines[from] ?? '')
  if (!head) return -1
  const chunks: Buffer[] = []
  let i = from + 1
  for (; i < lines.length && lines[i] !== ''; i++) {
    const decoded = decodeBase85Line(lines[i]!)
    if (!decoded) return -1
    chunks.push(decoded)
  }
  file.literal = Buffer.concat(chunks)
  // Skip the reverse hunk, up to the next file.
  while (i < lines.length && !lines[i]!.startsWith('diff --git ')) i++
  return i
}

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz!#$%&()*+-;<=>?@^_`{|}~'
const VALUE = new Map([...ALPHABET].map((char, i) => [char, i]))

/** One line of git's base85: a length character (A-Z 1-26, a-z 27-52), then 5 characters per 4 bytes. */
function decodeBase85Line(line: string): Buffer | undefined {
  const first = line.charCodeAt(0)
  const length = first >= 65 && first <= 90 ? first - 64 : first >= 97 && first <= 122 ? first - 96 + 26 : -1
  const body = line.slice(1)
  if (length < 0 || body.length % 5 !== 0 || body.length / 5 < Math.ceil(length / 4)) return undefined
  const out = Buffer.alloc((body.length / 5) * 4)
  for (let group = 0; group < body.length / 5; group++) {
    let value = 0
    for (let k = 0; k < 5; k++) {
      const digit = VALUE.get(body[group * 5 + k]!)
      if (digit === undefined) return undefined
      value = value * 85 + digit
    }
    if (value > 0xffffffff) return undefined
    out.writeUInt32BE(value, group * 4)
  }
  return out.subarray(0, length)
}
