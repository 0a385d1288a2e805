/**
 * Reads a JSON value out of a model's prose answer: the whole text, else a fenced ```json
 * block, else the first balanced {...} or [...]. Returns undefined when there is none.
 */
export function extractJson(text: string): unknown {
  const attempts = [text.trim(), ...fencedBlocks(text), ...balancedSpans(text)]
  for (const candidate of attempts) {
    if (candidate === '') continue
    try {
      return JSON.parse(candidate)
    } catch {
      // try the next candidate
    }
  }
  return undefined
}

function fencedBlocks(text: string): string[] {
  return [...text.matchAll(/```(?:json|JSON)?\s*\n([\s\S]*?)```/g)].map((m) => m[1]!.trim())
}

function balancedSpans(text: string): string[] {
  const spans: string[] = []
  for (let start = 0; start < text.length && spans.length < 5; start++) {
    const open = text[start]
    if (open !== '{' && open !== '[') continue
    const end = matchingClose(text, start)
    if (end > start) {
      spans.push(text.slice(start, end + 1))
      start = end
    }
  }
  return spans
}

/** Index of the bracket closing the one at `start`, skipping strings; -1 if unbalanced. */
function matchingClose(text: string, start: number): number {
  const stack: string[] = []
  let inString = false
  for (let i = start; i < text.length; i++) {
    const c = text[i]!
    if (inString) {
      if (c === '\\') i++
      else if (c === '"') inString = false
      continue
    }
    if (c === '"') inString = true
    else if (c === '{') stack.push('}')
    else if (c === '[') stack.push(']')
    else if (c === '}' || c === ']') {
      if (stack.pop() !== c) return -1
      if (stack.length === 0) return i
    }
  }
  return -1
}
