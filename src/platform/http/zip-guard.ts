import { inflateRawSync } from 'node:zlib';

/** Why an archive was refused, in words for the uploader (Bahasa Indonesia). */
export class ZipRefusedError extends Error {}

export interface ZipLimits {
  /** Files in the archive. */
  maxEntries: number;
  /** Bytes of all files once inflated. */
  maxInflatedBytes: number;
}

/**
 * An XLSX of the biggest table we import (20 000 rows) inflates to a few megabytes of XML;
 * exceljs holds every cell as an object, so the budget stays well below what it could load.
 */
export const XLSX_LIMITS: ZipLimits = { maxEntries: 100, maxInflatedBytes: 32 * 1024 * 1024 };

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

/**
 * Checks a ZIP archive before a library inflates it whole in memory (exceljs does, through
 * JSZip): a 4 MB "zip bomb" inflating to 4 GB took the process down before. Reads the
 * central directory, refuses too many files, ZIP64 and unknown compression, and inflates
 * each file with a cap on its output, so a header that lies about the size does not help.
 * `inspect` sees each file's bytes (and may throw). Throws {@link ZipRefusedError}; returns
 * the total inflated size.
 */
export function checkZip(
  buffer: Buffer,
  limits: ZipLimits,
  inspect?: (name: string, data: Buffer) => void,
): number {
  const end = findEndOfCentralDirectory(buffer);
  const entries = buffer.readUInt16LE(end + 10);
  const directoryOffset = buffer.readUInt32LE(end + 16);
  if (entries === 0xffff || directoryOffset === 0xffffffff)
    throw new ZipRefusedError('Arsip ZIP64 tidak didukung');
  if (entries > limits.maxEntries)
    throw new ZipRefusedError(`Arsip berisi terlalu banyak berkas (maksimal ${limits.maxEntries})`);
  let budget = limits.maxInflatedBytes;
  let at = directoryOffset;
  for (let i = 0; i < entries; i++) {
    if (at + 46 > buffer.length || buffer.readUInt32LE(at) !== CENTRAL) throw corrupt();
    const method = buffer.readUInt16LE(at + 10);
    const compressedSize = buffer.readUInt32LE(at + 20);
    const declaredSize = buffer.readUInt32LE(at + 24);
    const nameLength = buffer.readUInt16LE(at + 28);
    const extraLength = buffer.readUInt16LE(at + 30);
    const commentLength = buffer.readUInt16LE(at + 32);
    const localOffset = buffer.readUInt32LE(at + 42);
    const name = buffer.toString('utf8', at + 46, Math.min(at + 46 + nameLength, buffer.length));
    at += 46 + nameLength + extraLength + commentLength;
    if (declaredSize > budget) throw tooBig(limits);
    if (localOffset + 30 > buffer.length || buffer.readUInt32LE(localOffset) !== LOCAL)
      throw corrupt();
    const start =
      localOffset +
      30 +
      buffer.readUInt16LE(localOffset + 26) +
      buffer.readUInt16LE(localOffset + 28);
    if (start + compressedSize > buffer.length) throw corrupt();
    const data = buffer.subarray(start, start + compressedSize);
    let content: Buffer;
    if (method === 0) content = data;
    else if (method === 8) {
      try {
        // One byte over the budget is enough to know it is too big.
        content = inflateRawSync(data, { maxOutputLength: budget + 1 });
      } catch (error) {
        if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw tooBig(limits);
        throw corrupt();
      }
    } else throw new ZipRefusedError('Arsip memakai kompresi yang tidak didukung');
    if (content.length > budget) throw tooBig(limits);
    budget -= content.length;
    inspect?.(name, content);
  }
  return limits.maxInflatedBytes - budget;
}

function findEndOfCentralDirectory(buffer: Buffer): number {
  // The record is 22 bytes, followed by a comment of at most 65 535.
  for (let at = buffer.length - 22; at >= Math.max(0, buffer.length - 22 - 0xffff); at--) {
    if (buffer.readUInt32LE(at) === EOCD) return at;
  }
  throw corrupt();
}

const corrupt = () => new ZipRefusedError('Arsip rusak atau terpotong');
const tooBig = (limits: ZipLimits) =>
  new ZipRefusedError(
    `Isi arsip terlalu besar setelah diekstrak (maksimal ${Math.round(limits.maxInflatedBytes / 1024 / 1024)} MB)`,
  );
