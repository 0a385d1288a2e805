import fs from 'node:fs'

/**
 * The fields of /proc/<pid>/stat after the command name (Linux), so [0] is the state, [2] the
 * process group and [19] the start time; undefined elsewhere or when the process is gone. The
 * name (field 2) may hold spaces and parentheses, so the fields are read after its last ')'.
 */
export function procStat(pid: number | string): string[] | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  } catch {
    return undefined
  }
}
