import iconv from 'iconv-lite';
import { text } from 'node:stream/consumers';
import { csvCell, csvStream } from './csv';

const bytesOf = async (stream: NodeJS.ReadableStream) => {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
};

describe('csvCell', () => {
  it.each([
    ['=HYPERLINK("http://x")', `"'=HYPERLINK(""http://x"")"`],
    ['+81 3', "'+81 3"],
    ['-1+1', "'-1+1"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tcmd', "'\tcmd"],
    ['\rcmd', `"'\rcmd"`],
  ])('neutralises %j as text', (value, expected) => {
    expect(csvCell(value)).toBe(expected);
  });

  it('leaves ordinary text, numbers and dashes inside a value alone', () => {
    expect(csvCell('000-0000-0000')).toBe('000-0000-0000');
    expect(csvCell(-3)).toBe('-3');
    expect(csvCell('山田 花子')).toBe('山田 花子');
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
  });

  it('quotes commas, quotes and line breaks', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\r\nlines')).toBe('"two\r\nlines"');
  });

  it('writes times in Japan time, to the minute, never UTC', () => {
    expect(csvCell(new Date('2026-11-01T15:30:59Z'))).toBe('2026-11-02 00:30');
    expect(csvCell(new Date('2026-01-01T00:00:00Z'))).toBe('2026-01-01 09:00');
  });

  it('joins lists with spaces', () => {
    expect(csvCell(['相談員', '課長'])).toBe('相談員 課長');
  });
});

describe('csvStream', () => {
  it('writes UTF-8 with a BOM and CRLF lines by default', async () => {
    const bytes = await bytesOf(csvStream(['氏名', '年齢'], [['山田', 80], ['=1+1', null]]));
    expect(bytes.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(bytes.toString('utf8')).toBe("\uFEFF氏名,年齢\r\n山田,80\r\n'=1+1,\r\n");
  });

  it('writes Shift_JIS (CP932) when asked, without a BOM', async () => {
    const bytes = await bytesOf(csvStream(['氏名'], [['髙橋 ①']], { encoding: 'shift_jis' }));
    expect(bytes.subarray(0, 2)).toEqual(iconv.encode('氏', 'Shift_JIS'));
    expect(iconv.decode(bytes, 'Shift_JIS')).toBe('氏名\r\n髙橋 ①\r\n');
  });

  it('streams rows from an async source as they come', async () => {
    let produced = 0;
    async function* rows() {
      for (let i = 0; i < 1200; i++) {
        produced++;
        yield [i];
      }
    }
    const stream = csvStream(['n'], rows());
    const first = await new Promise<Buffer>((resolve) => stream.once('data', resolve));
    // The header leaves before the source is read to its end.
    expect(first.toString('utf8')).toBe('\uFEFFn\r\n');
    expect(produced).toBeLessThan(1200);
    const rest = await text(stream);
    expect(rest.split('\r\n')).toHaveLength(1201);
  });
});
