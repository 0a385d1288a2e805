import { createRequire as __dwfCreateRequire } from 'node:module'; const require = __dwfCreateRequire(import.meta.url);

// src/util/no-follow-fs.ts
import fs from "node:fs";
import path from "node:path";
var MESSAGES = {
  "symbolic link": "is a symbolic link; the runner never follows links in its state folder",
  "named pipe": "is a named pipe (FIFO), not a regular file; the runner opens only regular files in its state folder",
  socket: "is a socket, not a regular file; the runner opens only regular files in its state folder",
  device: "is a device, not a regular file; the runner opens only regular files in its state folder",
  folder: "is a folder where the runner keeps a file",
  file: "is a file where the runner keeps a folder",
  "hard link": "has more than one name (a hard link); the runner reads and writes only files with a single name in its state folder, since another name can be a file anywhere",
  unknown: "is not a regular file or folder"
};
var UnsafePathError = class extends Error {
  constructor(path2, kind) {
    super(`${path2} ${MESSAGES[kind]}: remove it and run again`);
    this.path = path2;
    this.kind = kind;
    this.name = "UnsafePathError";
  }
  path;
  kind;
};
var NO_FOLLOW = (fs.constants.O_NOFOLLOW ?? 0) | (fs.constants.O_NONBLOCK ?? 0);
function kindOf(stats) {
  if (stats.isSymbolicLink()) return "symbolic link";
  if (stats.isFIFO()) return "named pipe";
  if (stats.isSocket()) return "socket";
  if (stats.isBlockDevice() || stats.isCharacterDevice()) return "device";
  if (stats.isDirectory()) return "folder";
  if (stats.isFile()) return stats.nlink > 1 ? "hard link" : "file";
  return "unknown";
}
function isPlain(stats) {
  return stats.isFile() && stats.nlink === 1;
}
function requireFolder(at, stats) {
  if (!stats.isDirectory()) throw new UnsafePathError(at, kindOf(stats));
}
function requirePlainFile(at, stats) {
  if (!isPlain(stats)) throw new UnsafePathError(at, kindOf(stats));
}
function lstatIfExists(at) {
  try {
    return fs.lstatSync(at);
  } catch (error) {
    if (error.code === "ENOENT") return void 0;
    throw error;
  }
}
function chain(root, target) {
  const relative = path.relative(root, target);
  if (relative.startsWith("..") || path.isAbsolute(relative)) throw new Error(`${target} is not inside ${root}`);
  const out = [root];
  for (const part of relative.split(path.sep).filter(Boolean)) out.push(path.join(out[out.length - 1], part));
  return out;
}
function checkFolders(root, dir, options = {}) {
  for (const at of chain(root, dir)) {
    let stats = lstatIfExists(at);
    if (!stats) {
      if (!options.create) return false;
      if (at === root) fs.mkdirSync(path.dirname(root), { recursive: true });
      try {
        fs.mkdirSync(at);
      } catch (error) {
        if (error.code !== "EEXIST") throw error;
      }
      stats = fs.lstatSync(at);
    }
    requireFolder(at, stats);
  }
  return true;
}
function isPlainFile(root, file) {
  if (!checkFolders(root, path.dirname(file))) return false;
  const stats = lstatIfExists(file);
  if (!stats) return false;
  requirePlainFile(file, stats);
  return true;
}
function refusal(error, file) {
  const code = error.code;
  if (code === "ELOOP" || code === "EMLINK") return new UnsafePathError(file, "symbolic link");
  if (code === "ENXIO") return new UnsafePathError(file, "named pipe");
  if (code === "EISDIR") return new UnsafePathError(file, "folder");
  return error;
}
function openChecked(file, flags) {
  let fd;
  try {
    fd = fs.openSync(file, flags | NO_FOLLOW, 420);
  } catch (error) {
    throw refusal(error, file);
  }
  try {
    requirePlainFile(file, fs.fstatSync(fd));
  } catch (error) {
    fs.closeSync(fd);
    throw error;
  }
  return fd;
}
function checkTree(root, dir) {
  if (!checkFolders(root, dir)) return;
  const stack = [dir];
  while (stack.length > 0) {
    const at = stack.pop();
    for (const name of fs.readdirSync(at)) {
      const entry = path.join(at, name);
      const stats = fs.lstatSync(entry);
      if (stats.isDirectory()) stack.push(entry);
      else requirePlainFile(entry, stats);
    }
  }
}

// src/runner/bad-input.ts
var BadInputError = class extends Error {
  constructor(message) {
    super(message);
    this.name = "BadInputError";
  }
};

export {
  UnsafePathError,
  NO_FOLLOW,
  requirePlainFile,
  lstatIfExists,
  checkFolders,
  isPlainFile,
  refusal,
  openChecked,
  checkTree,
  BadInputError
};
