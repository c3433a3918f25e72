import iconv from 'iconv-lite';
import { CsvFormatError } from '../../../platform/csv/csv';
import { parseCandidateCsv, type CandidateRow } from './candidate-csv';

const OPTIONS = { districtCodes: ['01', '02', '03'], asOf: '2026-04-01' };

const HEADER = [
  '宛名番号',
  '氏名',
  '氏名カナ',
  '生年月日',
  '性別',
  '住所',
  '電話番号',
  '地区',
  '要介護度',
  '身体障害者手帳',
  '療育手帳',
  '精神障害者保健福祉手帳',
  '難病',
  '独居',
  '世帯状況',
] as const;
type Column = (typeof HEADER)[number];

/** One CSV line, quoting as Excel does: only fields that need it. */
const line = (fields: readonly string[]) => fields.map((f) => (/[",\r\n]/.test(f) ? `"${f.replace(/"/g, '""')}"` : f)).join(',');
/** A data row in HEADER order from a valid base, overriding some columns. */
const row = (values: Partial<Record<Column, string>> = {}) => line(HEADER.map((h) => values[h] ?? BASE[h]));
const csv = (...lines: string[]) => lines.join('\r\n') + '\r\n';
const utf8 = (text: string) => Buffer.from(text, 'utf8');
const withBom = (text: string) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8(text)]);
const sjis = (text: string) => iconv.encode(text, 'Shift_JIS');
const parse = (...lines: string[]) => parseCandidateCsv(utf8(csv(...lines)), OPTIONS);
const formatError = (bytes: Buffer, options = OPTIONS): CsvFormatError => {
  try {
    parseCandidateCsv(bytes, options);
  } catch (e) {
    if (e instanceof CsvFormatError) return e;
    throw e;
  }
  throw new Error('expected a CsvFormatError');
};

const BASE: Record<Column, string> = {
  宛名番号: '1',
  氏名: '基本 太郎',
  氏名カナ: '',
  生年月日: '1940-01-01',
  性別: '',
  住所: 'つなぎ市本町1',
  電話番号: '',
  地区: '01',
  要介護度: '',
  身体障害者手帳: '',
  療育手帳: '',
  精神障害者保健福祉手帳: '',
  難病: '',
  独居: '',
  世帯状況: '',
};

/** The parsed form of row() with no overrides, at a given line. */
const baseRow = (lineNo: number, over: Partial<CandidateRow> = {}): CandidateRow => ({
  line: lineNo,
  residentNumber: '1',
  familyName: '基本',
  givenName: '太郎',
  familyNameKana: null,
  givenNameKana: null,
  birthDate: '1940-01-01',
  sex: 'unknown',
  address: 'つなぎ市本町1',
  phone: null,
  districtCode: '01',
  careLevel: null,
  physicalHandbookGrade: null,
  ryoikuGrade: null,
  mentalHandbookGrade: null,
  intractableDisease: false,
  livingAlone: false,
  householdSituation: null,
  ...over,
});

describe('parseCandidateCsv', () => {
  describe('encodings', () => {
    const text = csv(
      line(HEADER),
      line([
        '000123',
        '山田 太郎',
        'ヤマダ タロウ',
        '1940-05-01',
        '男',
        '東京都つなぎ市本町1-2-3, 101号室',
        '03-1234-5678',
        '01',
        '要介護3',
        '2級',
        '',
        '',
        '無',
        '有',
        '妻と二人暮らし',
      ]),
      line(['45', '佐藤　花子', 'ｻﾄｳ ﾊﾅｺ', '1935/1/9', '女', 'つなぎ市東町4-5', '090-1234-5678', '02', '', '', 'Ａ１', '', 'あり', '0', '']),
      line(['9876543210', '髙橋 一郎', '', '1950/12/31', 'その他', 'つなぎ市西町6', '', '03', '要支援1', '1', '', '２級', 'false', 'TRUE', '']),
    );
    const expected: CandidateRow[] = [
      {
        line: 2,
        residentNumber: '000123',
        familyName: '山田',
        givenName: '太郎',
        familyNameKana: 'ヤマダ',
        givenNameKana: 'タロウ',
        birthDate: '1940-05-01',
        sex: 'male',
        address: '東京都つなぎ市本町1-2-3, 101号室',
        phone: '03-1234-5678',
        districtCode: '01',
        careLevel: '要介護3',
        physicalHandbookGrade: 2,
        ryoikuGrade: null,
        mentalHandbookGrade: null,
        intractableDisease: false,
        livingAlone: true,
        householdSituation: '妻と二人暮らし',
      },
      {
        line: 3,
        residentNumber: '45',
        familyName: '佐藤',
        givenName: '花子',
        familyNameKana: 'サトウ', // half-width ｶﾅ from older host systems, normalised
        givenNameKana: 'ハナコ',
        birthDate: '1935-01-09',
        sex: 'female',
        address: 'つなぎ市東町4-5',
        phone: '090-1234-5678',
        districtCode: '02',
        careLevel: null,
        physicalHandbookGrade: null,
        ryoikuGrade: 'A1',
        mentalHandbookGrade: null,
        intractableDisease: true,
        livingAlone: false,
        householdSituation: null,
      },
      {
        line: 4,
        residentNumber: '9876543210',
        familyName: '髙橋',
        givenName: '一郎',
        familyNameKana: null,
        givenNameKana: null,
        birthDate: '1950-12-31',
        sex: 'other',
        address: 'つなぎ市西町6',
        phone: null,
        districtCode: '03',
        careLevel: '要支援1',
        physicalHandbookGrade: 1,
        ryoikuGrade: null,
        mentalHandbookGrade: 2,
        intractableDisease: false,
        livingAlone: true,
        householdSituation: null,
      },
    ];

    it.each([
      ['utf-8', utf8],
      ['utf-8-bom', withBom],
      ['shift_jis', sjis],
    ] as const)('reads %s into the same rows', (encoding, encode) => {
      expect(parseCandidateCsv(encode(text), OPTIONS)).toEqual({ encoding, rows: expected, rejected: [], totalRows: 3 });
    });

    it('accepts LF-only files too', () => {
      expect(parseCandidateCsv(utf8(text.replace(/\r\n/g, '\n')), OPTIONS).rows).toEqual(expected);
    });
  });

  describe('file-level errors', () => {
    it('names every missing required column, in Japanese', () => {
      const e = formatError(utf8(csv('氏名,生年月日,住所,備考', '山田 太郎,1940-01-01,本町,')));
      expect(e.problems).toEqual([{ ja: '必須の列がありません：宛名番号、地区', en: 'missing required columns: 宛名番号, 地区' }]);
    });

    it('rejects an empty file, a BOM-only file and a file of blank lines', () => {
      const empty = [{ ja: 'ファイルが空です', en: 'the file is empty' }];
      expect(formatError(Buffer.alloc(0)).problems).toEqual(empty);
      expect(formatError(Buffer.from([0xef, 0xbb, 0xbf])).problems).toEqual(empty);
      expect(formatError(utf8('\r\n  \r\n,,,\r\n')).problems).toEqual(empty);
    });

    it('rejects a file without a header row', () => {
      const e = formatError(utf8(csv(row(), row({ 宛名番号: '2' }))));
      expect(e.problems).toHaveLength(1);
      expect(e.problems[0]!.ja).toMatch(/^1行目に見出し行がありません/);
    });

    it('rejects a repeated column, since either could be meant', () => {
      const e = formatError(utf8(csv(`${line(HEADER)},住所`, `${row()},別の住所`)));
      expect(e.problems).toEqual([{ ja: '列名が重複しています：住所', en: 'repeated columns: 住所' }]);
    });

    it('rejects a row with an unterminated quote', () => {
      const e = formatError(utf8(csv(line(HEADER), row(), row({ 宛名番号: '2' }).replace('つなぎ市本町1', '"つなぎ市本町1'))));
      expect(e.problems).toEqual([{ ja: '3行目の引用符（"）が閉じられていません', en: 'the quote (") opened on line 3 is never closed' }]);
    });

    it('refuses a malformed asOf as a programming error', () => {
      expect(() => parseCandidateCsv(utf8(csv(line(HEADER))), { ...OPTIONS, asOf: '2026/04/01' })).toThrow(RangeError);
    });
  });

  describe('layout', () => {
    it('takes columns in any order, ignores extra columns and trims whitespace', () => {
      const result = parse(' 地区 ,備考,住所,生年月日,氏名,宛名番号', ' 02 , 何でも ,  つなぎ市本町1　, 1940-01-01 ,　基本　太郎　, 1 ');
      expect(result).toEqual({ encoding: 'utf-8', rows: [baseRow(2, { districtCode: '02' })], rejected: [], totalRows: 1 });
    });

    it('reads quoted fields with commas, line breaks and doubled quotes, keeping later line numbers true', () => {
      const result = parse(
        line(HEADER),
        row({ 住所: '本町1-2, 3階', 世帯状況: '長男（"たかし"）と同居\n日中は独居' }),
        row({ 宛名番号: '2', 氏名: '次の 人' }),
      );
      expect(result.rows).toEqual([
        baseRow(2, { address: '本町1-2, 3階', householdSituation: '長男（"たかし"）と同居\n日中は独居' }),
        baseRow(4, { residentNumber: '2', familyName: '次の', givenName: '人' }),
      ]);
    });

    it('skips blank lines without counting them, keeping physical line numbers', () => {
      const result = parse(line(HEADER), '', row(), '   ', ',,,,', row({ 宛名番号: '2', 氏名: '次の 人' }), '');
      expect(result.totalRows).toBe(2);
      expect(result.rejected).toEqual([]);
      expect(result.rows.map((r) => r.line)).toEqual([3, 6]);
    });

    it('accepts a header-only file as an empty list', () => {
      expect(parse(line(HEADER))).toEqual({ encoding: 'utf-8', rows: [], rejected: [], totalRows: 0 });
    });

    it('treats short rows as empty trailing fields but rejects rows shifted by an unquoted comma', () => {
      const result = parse('宛名番号,氏名,生年月日,地区,住所', '1,基本 太郎,1940-01-01,01,つなぎ市本町1', '2,次の 人,1940-01-01,01', '3,三番 目,1940-01-01,01,本町1-2,3階');
      expect(result.rows).toEqual([baseRow(2)]);
      expect(result.rejected).toEqual([
        { line: 3, residentNumber: '2', problems: [{ column: '住所', ja: '住所が空です', en: 'address is empty' }] },
        {
          line: 4,
          residentNumber: '3',
          problems: [
            {
              column: '',
              ja: '列の数（6）が見出し（5）より多いです。カンマを含む値は「"」で囲んでください',
              en: '6 fields but the header has 5; quote values that contain commas',
            },
          ],
        },
      ]);
    });
  });

  describe('row validation', () => {
    /** The problems of a single data row built from row(values). */
    const problemsOf = (values: Partial<Record<Column, string>>) => {
      const result = parse(line(HEADER), row(values));
      expect(result.rows).toEqual([]);
      expect(result.totalRows).toBe(1);
      return result.rejected[0]!.problems;
    };
    const accepted = (values: Partial<Record<Column, string>>) => {
      const result = parse(line(HEADER), row(values));
      expect(result.rejected).toEqual([]);
      return result.rows[0]!;
    };

    it('rejects impossible dates', () => {
      expect(problemsOf({ 生年月日: '2026/02/30' })).toEqual([
        { column: '生年月日', ja: '生年月日「2026/02/30」は存在しない日付です', en: 'birth date "2026/02/30" is not a real date' },
      ]);
      expect(problemsOf({ 生年月日: '1943-02-29' })[0]!.ja).toBe('生年月日「1943-02-29」は存在しない日付です');
      expect(problemsOf({ 生年月日: '1950/13/1' })[0]!.ja).toBe('生年月日「1950/13/1」は存在しない日付です');
      expect(accepted({ 生年月日: '1944/2/29' }).birthDate).toBe('1944-02-29');
      expect(accepted({ 生年月日: '２０００／０２／２９' }).birthDate).toBe('2000-02-29');
    });

    it('rejects birth dates after asOf and before 1900, and unknown formats', () => {
      expect(problemsOf({ 生年月日: '2026-04-02' })).toEqual([
        { column: '生年月日', ja: '生年月日「2026-04-02」は基準日（2026-04-01）より後の日付です', en: 'birth date "2026-04-02" is after the reference date 2026-04-01' },
      ]);
      expect(accepted({ 生年月日: '2026-04-01' }).birthDate).toBe('2026-04-01');
      expect(problemsOf({ 生年月日: '1899/12/31' })).toEqual([
        { column: '生年月日', ja: '生年月日「1899/12/31」は1900年より前の日付です', en: 'birth date "1899/12/31" is before 1900' },
      ]);
      expect(problemsOf({ 生年月日: '昭和15年1月1日' })).toEqual([
        {
          column: '生年月日',
          ja: '生年月日「昭和15年1月1日」は YYYY-MM-DD または YYYY/MM/DD の形式で入力してください',
          en: 'birth date "昭和15年1月1日" must be YYYY-MM-DD or YYYY/MM/DD',
        },
      ]);
      expect(problemsOf({ 生年月日: '1940-1-1' })[0]!.column).toBe('生年月日');
    });

    it('rejects a district the tenant does not have', () => {
      expect(problemsOf({ 地区: '99' })).toEqual([
        { column: '地区', ja: '地区「99」は登録されている地区コードではありません', en: 'district "99" is not a known district code' },
      ]);
      expect(accepted({ 地区: '０３' }).districtCode).toBe('03');
    });

    it('maps 性別 and rejects anything else', () => {
      expect(accepted({ 性別: '男' }).sex).toBe('male');
      expect(accepted({ 性別: '女' }).sex).toBe('female');
      expect(accepted({ 性別: 'その他' }).sex).toBe('other');
      expect(accepted({ 性別: '不明' }).sex).toBe('unknown');
      expect(problemsOf({ 性別: '男性' })).toEqual([
        { column: '性別', ja: '性別「男性」は 男・女・その他・不明 のいずれかにしてください', en: 'sex "男性" must be 男, 女, その他 or 不明' },
      ]);
    });

    it('checks phone numbers', () => {
      expect(accepted({ 電話番号: '0312345678' }).phone).toBe('0312345678');
      expect(accepted({ 電話番号: '０９０－１２３４－５６７８' }).phone).toBe('090-1234-5678');
      expect(accepted({ 電話番号: '090ー1234ー5678' }).phone).toBe('090-1234-5678');
      expect(problemsOf({ 電話番号: '03-1234' })).toEqual([
        { column: '電話番号', ja: '電話番号「03-1234」は数字とハイフンで10〜13文字にしてください', en: 'phone "03-1234" must be 10–13 digits and hyphens' },
      ]);
      for (const bad of ['090-1234-56789', '03(1234)5678', '--0312345678', '03--12345678']) {
        expect(problemsOf({ 電話番号: bad })[0]!.column).toBe('電話番号');
      }
    });

    it('normalises certificate grades', () => {
      expect(accepted({ 療育手帳: 'Ａ' }).ryoikuGrade).toBe('A');
      expect(accepted({ 療育手帳: 'ｂ２' }).ryoikuGrade).toBe('B2');
      expect(accepted({ 身体障害者手帳: '2級' }).physicalHandbookGrade).toBe(2);
      expect(accepted({ 身体障害者手帳: '６' }).physicalHandbookGrade).toBe(6);
      expect(accepted({ 精神障害者保健福祉手帳: '３級' }).mentalHandbookGrade).toBe(3);
      expect(accepted({ 要介護度: '要介護５' }).careLevel).toBe('要介護5');
      expect(problemsOf({ 身体障害者手帳: '7級', 療育手帳: 'C', 精神障害者保健福祉手帳: '4級', 要介護度: '要介護6' })).toEqual([
        { column: '要介護度', ja: '要介護度「要介護6」は 要支援1・要支援2・要介護1〜要介護5 のいずれかにしてください', en: 'care level "要介護6" must be 要支援1, 要支援2 or 要介護1 to 要介護5' },
        { column: '身体障害者手帳', ja: '身体障害者手帳「7級」は1級〜6級で入力してください', en: 'physical disability certificate "7級" must be grade 1 to 6' },
        { column: '療育手帳', ja: '療育手帳「C」は A・A1・A2・B・B1・B2 のいずれかにしてください', en: 'ryoiku certificate "C" must be A, A1, A2, B, B1 or B2' },
        { column: '精神障害者保健福祉手帳', ja: '精神障害者保健福祉手帳「4級」は1級〜3級で入力してください', en: 'mental disability certificate "4級" must be grade 1 to 3' },
      ]);
    });

    it('reads yes/no columns and rejects other words', () => {
      const r = accepted({ 難病: 'あり', 独居: '1' });
      expect([r.intractableDisease, r.livingAlone]).toEqual([true, true]);
      const s = accepted({ 難病: 'なし', 独居: 'False' });
      expect([s.intractableDisease, s.livingAlone]).toEqual([false, false]);
      expect(problemsOf({ 独居: 'はい' })).toEqual([
        { column: '独居', ja: '独居「はい」は 有・無（あり・なし、1・0、true・false）で入力してください', en: 'living alone "はい" must be yes or no (有/無, あり/なし, 1/0, true/false)' },
      ]);
    });

    it('checks names, kana, resident numbers and the length of 世帯状況', () => {
      expect(accepted({ 氏名: 'スミス ジョン ポール', 氏名カナ: 'スミス ジョン ポール' })).toMatchObject({
        familyName: 'スミス',
        givenName: 'ジョン ポール',
        familyNameKana: 'スミス',
        givenNameKana: 'ジョン ポール',
      });
      expect(accepted({ 世帯状況: 'あ'.repeat(200) }).householdSituation).toHaveLength(200);
      expect(problemsOf({ 宛名番号: '1234567890123456', 氏名: '山田太郎', 氏名カナ: 'やまだ たろう', 世帯状況: 'あ'.repeat(201) })).toEqual([
        { column: '宛名番号', ja: '宛名番号「1234567890123456」は1〜15桁の数字ではありません', en: 'resident number "1234567890123456" is not 1–15 digits' },
        { column: '氏名', ja: '氏名「山田太郎」は姓と名を空白で区切ってください', en: 'name "山田太郎" needs a space between family and given name' },
        { column: '氏名カナ', ja: '氏名カナ「やまだ たろう」はカタカナで入力してください', en: 'name kana "やまだ たろう" must be katakana' },
        { column: '世帯状況', ja: '世帯状況は200文字以内にしてください（201文字）', en: 'household situation must be at most 200 characters (it has 201)' },
      ]);
      expect(problemsOf({ 氏名カナ: 'ヤマダタロウ' })[0]!.en).toBe('name kana "ヤマダタロウ" needs a space between family and given name');
    });

    it('lists every problem of a row, not just the first', () => {
      const result = parse(line(HEADER), row({ 宛名番号: '77', 生年月日: '2026/02/30', 地区: '99', 性別: 'M' }));
      expect(result.rows).toEqual([]);
      expect(result.rejected).toEqual([
        {
          line: 2,
          residentNumber: '77',
          problems: [
            { column: '生年月日', ja: '生年月日「2026/02/30」は存在しない日付です', en: 'birth date "2026/02/30" is not a real date' },
            { column: '地区', ja: '地区「99」は登録されている地区コードではありません', en: 'district "99" is not a known district code' },
            { column: '性別', ja: '性別「M」は 男・女・その他・不明 のいずれかにしてください', en: 'sex "M" must be 男, 女, その他 or 不明' },
          ],
        },
      ]);
    });

    it('reports each empty required column, with no resident number when it is missing', () => {
      // 性別 keeps the line from being blank, which would be skipped.
      expect(parse(line(HEADER), row({ 宛名番号: '', 氏名: '', 生年月日: '', 住所: ' ', 地区: '', 性別: '女' })).rejected).toEqual([
        {
          line: 2,
          residentNumber: null,
          problems: [
            { column: '宛名番号', ja: '宛名番号が空です', en: 'resident number is empty' },
            { column: '氏名', ja: '氏名が空です', en: 'name is empty' },
            { column: '生年月日', ja: '生年月日が空です', en: 'birth date is empty' },
            { column: '住所', ja: '住所が空です', en: 'address is empty' },
            { column: '地区', ja: '地区が空です', en: 'district is empty' },
          ],
        },
      ]);
    });
  });

  describe('duplicates', () => {
    it('rejects a later row with the same 宛名番号, naming the earlier line', () => {
      const result = parse(line(HEADER), row({ 宛名番号: '5', 氏名: '一 人目' }), row({ 宛名番号: '6', 氏名: '二 人目' }), row({ 宛名番号: '5', 氏名: '三 人目' }));
      expect(result.rows.map((r) => r.line)).toEqual([2, 3]);
      expect(result.rejected).toEqual([
        { line: 4, residentNumber: '5', problems: [{ column: '宛名番号', ja: '2行目と重複しています（宛名番号）', en: 'duplicates line 2 (resident number)' }] },
      ]);
    });

    it('rejects the same 氏名 + 生年月日 however the space and date are written', () => {
      const result = parse(
        line(HEADER),
        row({ 宛名番号: '1', 氏名: '山田 花子', 生年月日: '1940-03-05' }),
        row({ 宛名番号: '2', 氏名: '山田 花子', 生年月日: '1941-03-05' }),
        row({ 宛名番号: '3', 氏名: '山田　花子', 生年月日: '1940/3/5' }),
      );
      expect(result.rows.map((r) => r.line)).toEqual([2, 3]);
      expect(result.rejected).toEqual([
        { line: 4, residentNumber: '3', problems: [{ column: '氏名', ja: '2行目と重複しています（氏名・生年月日）', en: 'duplicates line 2 (name and birth date)' }] },
      ]);
    });

    it('counts an earlier rejected row, and reports both kinds for a repeated row', () => {
      const result = parse(line(HEADER), row({ 地区: '99' }), row(), row());
      expect(result.rows).toEqual([]);
      expect(result.rejected.map((r) => [r.line, r.problems.map((p) => p.ja)])).toEqual([
        [2, ['地区「99」は登録されている地区コードではありません']],
        [3, ['2行目と重複しています（宛名番号）', '2行目と重複しています（氏名・生年月日）']],
        [4, ['2行目と重複しています（宛名番号）', '2行目と重複しています（氏名・生年月日）']],
      ]);
    });
  });

  it('parses a 3,000-row file, every row accounted for once', () => {
    const lines = [line(HEADER)];
    for (let i = 1; i <= 3000; i++) {
      lines.push(row({ 宛名番号: String(i), 氏名: `要支援 ${i}号`, 地区: ['01', '02', '03', '04'][i % 4]!, 世帯状況: `世帯${i}, 同居"あり"` }));
    }
    const result = parseCandidateCsv(sjis(csv(...lines)), OPTIONS);
    expect(result.encoding).toBe('shift_jis');
    expect(result.totalRows).toBe(3000);
    expect(result.rows).toHaveLength(2250);
    expect(result.rejected).toHaveLength(750);
    expect(new Set([...result.rows, ...result.rejected].map((r) => r.line)).size).toBe(3000);
    // District 04 is not the tenant's, so every fourth row is rejected.
    expect(result.rejected[0]).toMatchObject({ line: 4, residentNumber: '3' });
    expect(result.rows[2249]).toEqual(
      baseRow(3001, { residentNumber: '3000', familyName: '要支援', givenName: '3000号', districtCode: '01', householdSituation: '世帯3000, 同居"あり"' }),
    );
  });
});
