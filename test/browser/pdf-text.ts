import { inflateSync } from 'node:zlib';

/**
 * The text of a PDF as Chromium (Skia) prints it, so a test can assert what is on the paper itself,
 * not only on the screen: every page's content stream, each string mapped to Unicode through its
 * font's ToUnicode CMap. Enough for Skia's output (no object streams, hex or literal strings in
 * Tj/TJ); not a general PDF reader. Pages are returned in document order.
 */
export function pdfText(pdf: Buffer): string[] {
  const source = pdf.toString('latin1');
  const objects = new Map<number, { dict: string; stream?: Buffer }>();
  for (const m of source.matchAll(/(\d+) 0 obj\s*([\s\S]*?)endobj/g)) {
    const body = m[2];
    const at = body.search(/stream\r?\n/);
    if (at < 0) {
      objects.set(Number(m[1]), { dict: body });
      continue;
    }
    const dict = body.slice(0, at);
    const start = at + body.slice(at).indexOf('\n') + 1;
    const length = Number(/\/Length (\d+)/.exec(dict)?.[1]);
    const raw = Buffer.from(body.slice(start, start + length), 'latin1');
    objects.set(Number(m[1]), { dict, stream: dict.includes('/FlateDecode') ? inflateSync(raw) : raw });
  }
  const ref = (dict: string, key: string) => Number(new RegExp(`/${key}\\s+(\\d+) 0 R`).exec(dict)?.[1]);
  const pages = [...objects.entries()].filter(([, o]) => /\/Type\s*\/Page\b/.test(o.dict)).map(([n]) => n);
  const order = /\/Kids\s*\[([^\]]*)\]/.exec([...objects.values()].find((o) => /\/Type\s*\/Pages\b/.test(o.dict))?.dict ?? '')?.[1];
  const ordered = order ? [...order.matchAll(/(\d+) 0 R/g)].map((k) => Number(k[1])).filter((n) => pages.includes(n)) : pages;
  return ordered.map((n) => {
    const page = objects.get(n)!.dict;
    const fonts = new Map<string, Map<number, string>>();
    for (const f of (/\/Font\s*<<([\s\S]*?)>>/.exec(page)?.[1] ?? '').matchAll(/\/(\w+)\s+(\d+) 0 R/g)) {
      const cmap = objects.get(ref(objects.get(Number(f[2]))?.dict ?? '', 'ToUnicode'))?.stream;
      fonts.set(f[1], cmap ? toUnicode(cmap.toString('latin1')) : new Map());
    }
    const content = objects.get(ref(page, 'Contents'))?.stream?.toString('latin1') ?? '';
    let font = new Map<number, string>();
    let width = 1;
    // Inside a marked span with ActualText (Skia's way of saying 山 where the glyph maps to the radical ⼭), that text wins.
    let actual = false;
    const out: string[] = [];
    for (const op of content.matchAll(/\/ActualText\s*<([0-9A-Fa-f]*)>\s*>>\s*BDC|\b(EMC)\b|\/(\w+)\s+[\d.]+\s+Tf|\[((?:[^\]\\]|\\.)*)\]\s*TJ|(<[0-9A-Fa-f\s]*>|\((?:[^)\\]|\\.)*\))\s*Tj|\b(ET)\b/g)) {
      if (op[1] !== undefined) {
        out.push(utf16(op[1]).replace(/^\uFEFF/, ''));
        actual = true;
      } else if (op[2]) actual = false;
      else if (op[3]) {
        font = fonts.get(op[3]) ?? new Map();
        width = Math.max(...[...font.keys()].map((code) => (code > 0xff ? 2 : 1)), 1);
      } else if (op[4] !== undefined || op[5]) {
        if (!actual) for (const s of (op[4] ?? op[5]).matchAll(/<[0-9A-Fa-f\s]*>|\((?:[^)\\]|\\.)*\)/g)) out.push(decode(codes(s[0], width), font));
      } else out.push('\n');
    }
    return out.join('');
  });
}

function codes(token: string, width: number): number[] {
  const bytes = token.startsWith('<') ? Buffer.from(token.slice(1, -1).replace(/\s/g, ''), 'hex') : Buffer.from(token.slice(1, -1).replace(/\\([()\\])/g, '$1'), 'latin1');
  const out: number[] = [];
  for (let i = 0; i + width <= bytes.length; i += width) out.push(width === 2 ? bytes.readUInt16BE(i) : bytes[i]);
  return out;
}

const decode = (list: number[], font: Map<number, string>) => list.map((c) => font.get(c) ?? '').join('');

const utf16 = (hex: string) => Buffer.from(hex, 'hex').swap16().toString('utf16le');

/** A ToUnicode CMap's bfchar and bfrange entries: glyph code → text. */
function toUnicode(cmap: string): Map<number, string> {
  const map = new Map<number, string>();
  const text = utf16;
  for (const block of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) for (const m of block[1].matchAll(/<(\w+)>\s*<(\w+)>/g)) map.set(parseInt(m[1], 16), text(m[2]));
  for (const block of cmap.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    for (const m of block[1].matchAll(/<(\w+)>\s*<(\w+)>\s*(<\w+>|\[[^\]]*\])/g)) {
      const [from, to] = [parseInt(m[1], 16), parseInt(m[2], 16)];
      const targets = m[3].startsWith('[') ? [...m[3].matchAll(/<(\w+)>/g)].map((t) => text(t[1])) : null;
      const first = targets ? 0 : parseInt(m[3].slice(1, -1), 16);
      for (let code = from; code <= to; code++) map.set(code, targets ? targets[code - from] : String.fromCodePoint(first + code - from));
    }
  }
  return map;
}
