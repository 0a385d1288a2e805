import { afterAll, describe, expect, it } from '@jest/globals'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { GitStore } from '../../src/edits/git.js'
import { TreeIndex } from '../../src/edits/tree-index.js'
import { updateTree } from '../../src/edits/trees.js'

/** Tree ids computed in this process must be git's own, byte for byte, or identities and copies would differ. */
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dwf-tree-index-'))
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))
const store = new GitStore(path.join(dir, 'store.git'))
const index = path.join(dir, 'scratch.index')
const EMPTY_TREE = store.textSync(['hash-object', '-t', 'tree', '-w', '--stdin'], { input: '' })

const blob = (text: string) => store.writeBlob(Buffer.from(text))
const file = (text: string, mode = '100644') => ({ mode, blob: blob(text) })

describe('TreeIndex', () => {
  it('computes the tree ids git computes, through adds, changes, deletions, folders that empty, and names that sort alike', () => {
    const steps: Array<Array<[string, { mode: string; blob: string } | null]>> = [
      [['a', file('a')], ['a.b', file('ab')], ['a-b/c', file('abc')], ['b/c/d/e.txt', file('deep')], ['run.sh', file('#!/bin/sh\n', '100755')], ['link', { mode: '120000', blob: blob('a') }]],
      [['a', file('changed')], ['b/c/d/f.txt', file('f')], ['z/only', file('z')]],
      [['z/only', null], ['b/c/d/e.txt', null], ['nope/missing', null]],
      [['b/c/d/f.txt', null], ['a.b', null], ['a0', file('a0')], ['a/inside', null]],
    ]
    let ours = TreeIndex.load(store, EMPTY_TREE)
    let theirs = EMPTY_TREE
    for (const batch of steps) {
      for (const [name, entry] of batch) ours.set(name, entry)
      theirs = updateTree(store, theirs, batch.filter(([name]) => name !== 'nope/missing').map(([name, entry]) => ({ path: name, ...(entry ? { write: { mode: entry.mode, blob: entry.blob, content: Buffer.alloc(0) } } : {}) })), index)
      expect(ours.id()).toBe(theirs)
      // A fresh load of git's tree agrees too, and git can read every object written here.
      expect(TreeIndex.load(store, theirs).id()).toBe(theirs)
      expect(store.textSync(['ls-tree', '-r', '--name-only', ours.id()]).split('\n').length).toBeGreaterThan(0)
    }
    ours = TreeIndex.load(store, theirs)
    expect(ours.id()).toBe(theirs)
  })
})
