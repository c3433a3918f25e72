import { z } from 'zod';
import { SEXES } from './person.entity';
import { isoDate, text } from '../../../platform/http/input';


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
});
