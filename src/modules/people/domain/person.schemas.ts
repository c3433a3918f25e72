import { z } from 'zod';
import { SEXES } from './person.entity';

const text = (max: number) => z.string().trim().min(1).max(max);

/** A person as a client describes them, wherever people are added (cases, the register). */
export const personDetailsSchema = z.strictObject({
  familyName: text(50),
  givenName: text(50),
  familyNameKana: text(50).optional(),
  givenNameKana: text(50).optional(),
  birthDate: z.iso.date().optional(),
  sex: z.enum(SEXES).optional(),
  address: text(200).optional(),
  phone: text(30).optional(),
});
