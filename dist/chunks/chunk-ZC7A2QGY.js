import { createRequire as __dwfCreateRequire } from 'node:module'; const require = __dwfCreateRequire(import.meta.url);

// src/util/no-follow-fs.ts
import { randomBytes } from "node:crypto";
import fs, { promises as fsp } from "node:fs";
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
var { O_RDONLY, O_WRONLY, O_RDWR, O_CREAT, O_EXCL, O_APPEND } = fs.constants;
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
function readBytesIfExists(root, file, offset = 0) {
  if (!isPlainFile(root, file)) return void 0;
  let fd;
  try {
    fd = openChecked(file, O_RDONLY);
  } catch (error) {
    if (error.code === "ENOENT") return void 0;
    throw error;
  }
  try {
    const size = fs.fstatSync(fd).size;
    const buffer = Buffer.alloc(Math.max(0, size - offset));
    let read = 0;
    while (read < buffer.length) {
      const n = fs.readSync(fd, buffer, read, buffer.length - read, offset + read);
      if (n === 0) break;
      read += n;
    }
    return buffer.subarray(0, read);
  } finally {
    fs.closeSync(fd);
  }
}
function readTextIfExists(root, file) {
  return readBytesIfExists(root, file)?.toString("utf8");
}
function appendFlags(read) {
  return (read ? O_RDWR : O_WRONLY) | O_CREAT | O_APPEND;
}
function openForAppend(root, file) {
  checkFolders(root, path.dirname(file), { create: true });
  const stats = lstatIfExists(file);
  if (stats) requirePlainFile(file, stats);
  return openChecked(file, appendFlags(false));
}
async function openHandleForAppend(root, file) {
  checkFolders(root, path.dirname(file), { create: true });
  const stats = lstatIfExists(file);
  if (stats) requirePlainFile(file, stats);
  let handle;
  try {
    handle = await fsp.open(file, appendFlags(true) | NO_FOLLOW, 420);
  } catch (error) {
    throw refusal(error, file);
  }
  try {
    requirePlainFile(file, await handle.stat());
  } catch (error) {
    await handle.close();
    throw error;
  }
  return handle;
}
function appendText(root, file, text) {
  const fd = openForAppend(root, file);
  try {
    writeAll(fd, Buffer.from(text, "utf8"));
  } finally {
    fs.closeSync(fd);
  }
}
function writeAll(fd, bytes) {
  let offset = 0;
  while (offset < bytes.length) offset += fs.writeSync(fd, bytes, offset);
}
function writeFileAtomically(root, file, content, options = {}) {
  const dir = path.dirname(file);
  checkFolders(root, dir, { create: true });
  const checkTarget = () => {
    const stats = lstatIfExists(file);
    if (stats) requirePlainFile(file, stats);
  };
  checkTarget();
  const temporary = path.join(dir, `.${path.basename(file)}.${randomBytes(8).toString("hex")}.tmp`);
  const fd = openChecked(temporary, O_WRONLY | O_CREAT | O_EXCL);
  try {
    try {
      writeAll(fd, typeof content === "string" ? Buffer.from(content, "utf8") : content);
      if (options.durable) fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    checkFolders(root, dir);
    checkTarget();
    fs.renameSync(temporary, file);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    throw error;
  }
}
function removeFile(root, file) {
  if (!checkFolders(root, path.dirname(file))) return;
  try {
    fs.unlinkSync(file);
  } catch (error) {
    if (error.code !== "ENOENT") throw error;
  }
}
function listFolder(root, dir) {
  if (!checkFolders(root, dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true });
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
function removeTree(root, dir) {
  checkTree(root, dir);
  fs.rmSync(dir, { recursive: true, force: true });
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
  lstatIfExists,
  checkFolders,
  isPlainFile,
  readBytesIfExists,
  readTextIfExists,
  openForAppend,
  openHandleForAppend,
  appendText,
  writeFileAtomically,
  removeFile,
  listFolder,
  checkTree,
  removeTree,
  BadInputError
};
