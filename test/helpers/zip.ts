/**
 * A minimal ZIP writer for tests: honest archives (a small XLSX), and hostile ones whose
 * headers lie or which inflate to gigabytes ("zip bombs"), which no library would write.
 */
import { constants, crc32, deflateRawSync } from 'node:zlib';

export interface ZipEntry {
  name: string;
  /** Stored as is (method 0) unless `deflate`; or `raw` already deflated bytes. */
  data?: Buffer | string;
  raw?: { bytes: Buffer; size: number; crc: number };
  /** Overrides the sizes the headers declare (a lie). */
  declaredSize?: number;
}

export function zip(entries: ZipEntry[], options: { deflate?: boolean } = {}): Buffer {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    let bytes: Buffer;
    let size: number;
    let crc: number;
    let method: number;
    if (entry.raw) {
      ({ bytes, size, crc } = entry.raw);
      method = 8;
    } else {
      const data = Buffer.from(entry.data ?? '');
      size = data.length;
      crc = crc32(data);
      bytes = options.deflate ? deflateRawSync(data) : data;
      method = options.deflate ? 8 : 0;
    }
    const declared = entry.declaredSize ?? size;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc >>> 0, 14);
    local.writeUInt32LE(bytes.length, 18);
    local.writeUInt32LE(declared, 22);
    local.writeUInt16LE(name.length, 26);
    const head = Buffer.alloc(46);
    head.writeUInt32LE(0x02014b50, 0);
    head.writeUInt16LE(20, 4);
    head.writeUInt16LE(20, 6);
    head.writeUInt16LE(method, 10);
    head.writeUInt32LE(crc >>> 0, 16);
    head.writeUInt32LE(bytes.length, 20);
    head.writeUInt32LE(declared, 24);
    head.writeUInt16LE(name.length, 28);
    head.writeUInt32LE(offset, 42);
    parts.push(local, name, bytes);
    central.push(head, name);
    offset += local.length + name.length + bytes.length;
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, directory, end]);
}

/**
 * Deflated bytes that inflate to `megabytes` MB of `fill`: one deflated 16 MB block (about
 * 16 KB, ending byte-aligned with a full flush), repeated, then an empty final block.
 * About 1 KB per inflated MB, so a 4 MB upload inflates to 4 GB. The CRC is left at 0 (a
 * bomb need not be honest; the guard refuses it before any CRC could be checked).
 */
export function deflateBomb(
  megabytes: number,
  fill = 0x41,
): { bytes: Buffer; size: number; crc: number } {
  const chunk = Buffer.alloc(16 * 1024 * 1024, fill);
  const block = deflateRawSync(chunk, { finishFlush: constants.Z_FULL_FLUSH });
  const count = Math.ceil(megabytes / 16);
  return {
    bytes: Buffer.concat([...new Array<Buffer>(count).fill(block), Buffer.from([0x03, 0x00])]),
    // The 32-bit size field cannot say more than 4 GB - 1.
    size: Math.min(count * chunk.length, 0xffffffff),
    crc: 0,
  };
}

const CONTENT_TYPES =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>';
const ROOT_RELS =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>';
const WORKBOOK =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>';
const WORKBOOK_RELS =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>';

const escapeXml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The XML of a sheet holding `rows` as inline strings. */
export function sheetXml(rows: string[][], prolog = ''): string {
  const body = rows
    .map(
      (cells, r) =>
        `<row r="${r + 1}">${cells
          .map((c) => `<c t="inlineStr"><is><t>${escapeXml(c)}</t></is></c>`)
          .join('')}</row>`,
    )
    .join('');
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>${prolog}<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${body}</sheetData></worksheet>`;
}

/** A one-sheet XLSX; `sheet` replaces the sheet's entry (a bomb, a lie, hostile XML). */
export function xlsx(rows: string[][], sheet?: Partial<ZipEntry>): Buffer {
  return zip(
    [
      { name: '[Content_Types].xml', data: CONTENT_TYPES },
      { name: '_rels/.rels', data: ROOT_RELS },
      { name: 'xl/workbook.xml', data: WORKBOOK },
      { name: 'xl/_rels/workbook.xml.rels', data: WORKBOOK_RELS },
      { name: 'xl/worksheets/sheet1.xml', data: sheetXml(rows), ...sheet },
    ],
    { deflate: true },
  );
}
