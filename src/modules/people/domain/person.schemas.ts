import { z } from 'zod';
import { SEXES } from './person.entity';
import { bilingual, isoDate, text } from '../../../platform/http/input';

/** 宛名番号: 1–15 digits, as the register's CSV takes it (leading zeros matter, so it stays text). */
export const residentNumber = z
  .string()
  .trim()
  .refine((v) => /^\d{1,15}$/.test(v), bilingual({ ja: '宛名番号は1〜15桁の数字で指定してください。', en: 'A resident number is 1–15 digits.' }));

/** A person as a client describes them, wherever people are added (cases, the register). */
export const personDetailsSchema = z.strictObject({
  familyName: text(50),
  givenName: text(50),
  familyNameKana: text(50).optional(),
  givenNameKana: text(50).optional(),
  birthDate: isoDate.optional(),
  sex: z.enum(SEXES).optional(),
  address: text(200).optional(),
  phone: text(30).optional(),
  /** When the person is already on file under this number, the existing record is linked instead. */
  residentNumber: residentNumber.optional(),
});
