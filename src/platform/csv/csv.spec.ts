import iconv from 'iconv-lite';
import { CsvFormatError, decodeCsv, readCsv } from './csv';

const utf8 = (text: string) => Buffer.from(text, 'utf8');
const withBom = (text: string) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8(text)]);
const sjis = (text: string) => iconv.encode(text, 'Shift_JIS');

describe('decodeCsv', () => {
  const text = '宛名番号,氏名\r\n1,髙橋 一郎\r\n';

  it('detects UTF-8 with and without BOM, and Shift_JIS (CP932 characters included)', () => {
    expect(decodeCsv(withBom(text))).toEqual({ text, encoding: 'utf-8-bom' });
    expect(decodeCsv(utf8(text))).toEqual({ text, encoding: 'utf-8' });
    expect(decodeCsv(sjis(text))).toEqual({ text, encoding: 'shift_jis' });
  });

  it('treats plain ASCII as UTF-8', () => {
    expect(decodeCsv(Buffer.from('a,b\n'))).toEqual({ text: 'a,b\n', encoding: 'utf-8' });
  });

  it('refuses a BOM file that is not valid UTF-8 instead of garbling names', () => {
    expect(() => decodeCsv(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), sjis('山田')]))).toThrow(CsvFormatError);
  });

  it('refuses a file with a NUL character (no column could hold it), naming the line; a UTF-16 file is one', () => {
    expect(() => decodeCsv(utf8('宛名番号,氏名\r\n1,山田\u0000 一郎\r\n'))).toThrow(/line 2: Contains a character that is not allowed/);
    expect(() => decodeCsv(Buffer.from(text, 'utf16le'))).toThrow(CsvFormatError);
  });
});

describe('readCsv', () => {
  it('handles quotes, doubled quotes, commas and line breaks inside quotes, CRLF / LF / CR', () => {
    expect(readCsv('a,"b,c","say ""hi"""\r\n"multi\r\nline",x\nlast,"a\nb"\rend')).toEqual([
      { line: 1, fields: ['a', 'b,c', 'say "hi"'] },
      { line: 2, fields: ['multi\nline', 'x'] },
      { line: 4, fields: ['last', 'a\nb'] },
      { line: 6, fields: ['end'] },
    ]);
  });

  it('returns blank lines as one empty field and adds no record for a trailing line break', () => {
    expect(readCsv('a\n\nb\n')).toEqual([
      { line: 1, fields: ['a'] },
      { line: 2, fields: [''] },
      { line: 3, fields: ['b'] },
    ]);
    expect(readCsv('')).toEqual([]);
    expect(readCsv('a,')).toEqual([{ line: 1, fields: ['a', ''] }]);
    expect(readCsv('""')).toEqual([{ line: 1, fields: [''] }]);
  });

  it('is lenient with spaces before a quote and stray quotes in unquoted fields', () => {
    expect(readCsv('a, "b,c" ,5"x')).toEqual([{ line: 1, fields: ['a', 'b,c ', '5"x'] }]);
  });

  it('throws on an unterminated quote, naming the line it opened on', () => {
    expect(() => readCsv('a\nb,"open\nmore')).toThrow(
      new CsvFormatError([{ ja: '2行目の引用符（"）が閉じられていません', en: 'the quote (") opened on line 2 is never closed' }]),
    );
  });
});
