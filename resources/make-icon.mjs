#!/usr/bin/env node
// Draws resources/icon.png (1024x1024): a receipt on a blue rounded square.
// electron-builder derives the Windows .ico, the macOS .icns and the Linux icon sizes from it.
// Regenerate with: node resources/make-icon.mjs
import { writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { deflateSync } from 'node:zlib'

const SIZE = 1024
const SS = 4 // supersampling per axis, for smooth edges

const BLUE_TOP = [34, 139, 230] // Mantine blue.6
const BLUE_BOTTOM = [25, 113, 194] // blue.8
const PAPER = [255, 255, 255]
const INK = [173, 181, 189] // gray.5
const TOTAL = [25, 113, 194]
const STAMP = [64, 192, 87] // green.6

function roundedRect(x, y, x0, y0, x1, y1, r) {
  const cx = Math.min(Math.max(x, x0 + r), x1 - r)
  const cy = Math.min(Math.max(y, y0 + r), y1 - r)
  return x >= x0 && x <= x1 && y >= y0 && y <= y1 && (x - cx) ** 2 + (y - cy) ** 2 <= r * r
}

/** Colour [r,g,b] at a point, or null for transparent. Coordinates in 0..1024. */
function shade(x, y) {
  if (!roundedRect(x, y, 64, 64, 960, 960, 190)) return null
  let colour = BLUE_TOP.map((c, i) => Math.round(c + ((BLUE_BOTTOM[i] - c) * (y - 64)) / 896))

  // Receipt: paper with a zigzag bottom edge.
  const left = 300
  const right = 724
  const top = 200
  const bottom = 800
  const tooth = 53
  const phase = ((x - left) % tooth) / tooth
  const zig = bottom - 36 * (1 - Math.abs(phase * 2 - 1))
  if (x >= left && x <= right && y >= top && y <= zig) {
    colour = PAPER
    const line = (y0, x1, c) => (y >= y0 && y <= y0 + 28 && x >= 360 && x <= x1 ? c : null)
    colour = line(290, 664, INK) ?? line(370, 600, INK) ?? line(450, 640, INK) ?? line(530, 560, INK) ?? line(640, 664, TOTAL) ?? colour
  }

  // Paid stamp: a green disc overlapping the receipt's corner.
  if ((x - 720) ** 2 + (y - 720) ** 2 <= 150 ** 2) {
    colour = STAMP
    // A white tick.
    const onSegment = (ax, ay, bx, by, w) => {
      const t = Math.max(0, Math.min(1, ((x - ax) * (bx - ax) + (y - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2)))
      return (x - (ax + t * (bx - ax))) ** 2 + (y - (ay + t * (by - ay))) ** 2 <= w * w
    }
    if (onSegment(655, 725, 705, 775, 20) || onSegment(705, 775, 795, 670, 20)) colour = PAPER
  }
  return colour
}

const rgba = Buffer.alloc(SIZE * (SIZE * 4 + 1))
for (let py = 0; py < SIZE; py++) {
  const row = py * (SIZE * 4 + 1)
  rgba[row] = 0 // PNG filter: none
  for (let px = 0; px < SIZE; px++) {
    let r = 0
    let g = 0
    let b = 0
    let a = 0
    for (let sy = 0; sy < SS; sy++) {
      for (let sx = 0; sx < SS; sx++) {
        const c = shade(px + (sx + 0.5) / SS, py + (sy + 0.5) / SS)
        if (c === null) continue
        r += c[0]
        g += c[1]
        b += c[2]
        a++
      }
    }
    const o = row + 1 + px * 4
    if (a > 0) {
      rgba[o] = Math.round(r / a)
      rgba[o + 1] = Math.round(g / a)
      rgba[o + 2] = Math.round(b / a)
    }
    rgba[o + 3] = Math.round((255 * a) / (SS * SS))
  }
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})
function crc32(buf) {
  let c = 0xffffffff
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}
function chunk(type, data) {
  const len = Buffer.alloc(4)
  len.writeUInt32BE(data.length)
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data])
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(body))
  return Buffer.concat([len, body, crc])
}
const ihdr = Buffer.alloc(13)
ihdr.writeUInt32BE(SIZE, 0)
ihdr.writeUInt32BE(SIZE, 4)
ihdr[8] = 8 // bit depth
ihdr[9] = 6 // RGBA
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', ihdr),
  chunk('IDAT', deflateSync(rgba, { level: 9 })),
  chunk('IEND', Buffer.alloc(0))
])
const out = join(dirname(fileURLToPath(import.meta.url)), 'icon.png')
writeFileSync(out, png)
console.log(`wrote ${out} (${png.length} bytes)`)
