// Builds templates/assets/favicon.ico from templates/assets/favicon.svg: Chromium draws the
// SVG at 16, 32 and 48 pixels, and each drawing is stored as an uncompressed 32-bit BMP,
// the ICO form every browser and Windows version reads (PNG inside an ICO needs Vista+).
// Run once after changing the SVG and commit both files:
//   node scripts/make-favicon.mjs        (CHROMIUM_PATH, default /usr/bin/chromium)
/* global Image, btoa, document -- the drawing runs inside Chromium */
import { Buffer } from 'node:buffer';
import { readFileSync, writeFileSync } from 'node:fs';
import process from 'node:process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const assets = join(dirname(fileURLToPath(import.meta.url)), '..', 'templates', 'assets');
const svg = readFileSync(join(assets, 'favicon.svg'), 'utf8');
const SIZES = [16, 32, 48];

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox'],
});
try {
  const page = await browser.newPage();
  const images = [];
  for (const size of SIZES) {
    const rgba = await page.evaluate(
      async ({ svg, size }) => {
        const img = new Image();
        img.src = 'data:image/svg+xml;base64,' + btoa(svg);
        await img.decode();
        const canvas = document.createElement('canvas');
        canvas.width = canvas.height = size;
        const ctx = canvas.getContext('2d');
        ctx.drawImage(img, 0, 0, size, size);
        return Array.from(ctx.getImageData(0, 0, size, size).data);
      },
      { svg, size },
    );
    images.push({ size, bmp: bmpEntry(size, rgba) });
  }
  writeFileSync(join(assets, 'favicon.ico'), ico(images));
  process.stdout.write(`favicon.ico: ${SIZES.join(', ')} px\n`);
} finally {
  await browser.close();
}

/** A BITMAPINFOHEADER, the pixels bottom-up as BGRA, then the 1-bit AND mask (all zero: alpha rules). */
function bmpEntry(size, rgba) {
  const header = Buffer.alloc(40);
  header.writeUInt32LE(40, 0);
  header.writeInt32LE(size, 4);
  header.writeInt32LE(size * 2, 8); // colour and mask together
  header.writeUInt16LE(1, 12);
  header.writeUInt16LE(32, 14);
  header.writeUInt32LE(size * size * 4, 20);
  const pixels = Buffer.alloc(size * size * 4);
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) {
      const from = ((size - 1 - y) * size + x) * 4;
      const to = (y * size + x) * 4;
      pixels[to] = rgba[from + 2];
      pixels[to + 1] = rgba[from + 1];
      pixels[to + 2] = rgba[from];
      pixels[to + 3] = rgba[from + 3];
    }
  const maskRow = Math.ceil(size / 32) * 4;
  return Buffer.concat([header, pixels, Buffer.alloc(maskRow * size)]);
}

function ico(images) {
  const head = Buffer.alloc(6);
  head.writeUInt16LE(0, 0);
  head.writeUInt16LE(1, 2); // icon
  head.writeUInt16LE(images.length, 4);
  let offset = 6 + 16 * images.length;
  const dir = images.map(({ size, bmp }) => {
    const entry = Buffer.alloc(16);
    entry.writeUInt8(size % 256, 0);
    entry.writeUInt8(size % 256, 1);
    entry.writeUInt16LE(1, 4);
    entry.writeUInt16LE(32, 6);
    entry.writeUInt32LE(bmp.length, 8);
    entry.writeUInt32LE(offset, 12);
    offset += bmp.length;
    return entry;
  });
  return Buffer.concat([head, ...dir, ...images.map((i) => i.bmp)]);
}
