// Drops every subsection of a wasm module's "name" custom section except the module and
// function names. The function names are what a production stack trace shows; the rest (data
// segment, global, local names) are read by no one at run time and cost over 100 KB of the
// Worker's compressed size, which Cloudflare limits to 3 MB.
//
// Usage: node scripts/trim-names.mjs <file.wasm>   (rewrites the file in place)
import { readFile, writeFile } from 'node:fs/promises';

const KEEP = new Set([0, 1]); // module name, function names

function readLeb(buf, pos) {
  let result = 0;
  let shift = 0;
  for (;;) {
    const byte = buf[pos];
    pos += 1;
    result += (byte & 0x7f) * 2 ** shift;
    if ((byte & 0x80) === 0) return [result, pos];
    shift += 7;
    if (shift > 35) throw new Error('malformed LEB128 in the wasm module');
  }
}

function leb(n) {
  const out = [];
  do {
    let byte = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) byte |= 0x80;
    out.push(byte);
  } while (n > 0);
  return Buffer.from(out);
}

function trimNameSection(payload) {
  // payload: the custom section's content after its name.
  const kept = [];
  let pos = 0;
  while (pos < payload.length) {
    const id = payload[pos];
    const [size, start] = readLeb(payload, pos + 1);
    const end = start + size;
    if (KEEP.has(id)) kept.push(payload.subarray(pos, end));
    pos = end;
  }
  return Buffer.concat(kept);
}

const file = process.argv[2];
if (!file) {
  console.error('usage: node scripts/trim-names.mjs <file.wasm>');
  process.exit(2);
}
const buf = await readFile(file);
if (buf.readUInt32LE(0) !== 0x6d736100) {
  console.error(`${file} is not a wasm module`);
  process.exit(2);
}
const parts = [buf.subarray(0, 8)];
let pos = 8;
let before = 0;
let after = 0;
while (pos < buf.length) {
  const id = buf[pos];
  const [size, start] = readLeb(buf, pos + 1);
  const end = start + size;
  if (id === 0) {
    const [nameLen, nameStart] = readLeb(buf, start);
    const name = buf.subarray(nameStart, nameStart + nameLen).toString('utf8');
    if (name === 'name') {
      const header = buf.subarray(start, nameStart + nameLen);
      const trimmed = trimNameSection(buf.subarray(nameStart + nameLen, end));
      const content = Buffer.concat([header, trimmed]);
      parts.push(Buffer.from([0]), leb(content.length), content);
      before += size;
      after += content.length;
      pos = end;
      continue;
    }
  }
  parts.push(buf.subarray(pos, end));
  pos = end;
}
await writeFile(file, Buffer.concat(parts));
console.log(`trim-names: name section ${before} -> ${after} bytes (function names kept)`);
