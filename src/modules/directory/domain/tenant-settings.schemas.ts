import { z } from 'zod';
import { bilingual } from '../../../platform/http/zod-validation.pipe';

/** What an administrator may change; the bounds are the table's own checks. */
export const TENANT_SETTING_FIELDS = {
  /** 自治体名 as shown to staff. */
  name: z.string().trim().min(1).max(100),
  referralResponseBusinessDays: z.int().min(1).max(60),
  referralExpiryGraceBusinessDays: z.int().min(0).max(60),
};
export type TenantSettingField = keyof typeof TENANT_SETTING_FIELDS;

export const updateTenantSettingsSchema = z
  .strictObject({
    /** The version the client read (or If-Match): a stale one is refused with 409. */
    version: z.int().min(1).optional(),
    name: TENANT_SETTING_FIELDS.name.optional(),
    referralResponseBusinessDays: TENANT_SETTING_FIELDS.referralResponseBusinessDays.optional(),
    referralExpiryGraceBusinessDays: TENANT_SETTING_FIELDS.referralExpiryGraceBusinessDays.optional(),
  })
  .refine(
    (body) => Object.keys(TENANT_SETTING_FIELDS).some((field) => body[field as TenantSettingField] !== undefined),
    bilingual({ ja: '変更する設定を1つ以上指定してください。', en: 'Name at least one setting to change.' }, []),
  );
export type UpdateTenantSettingsInput = z.infer<typeof updateTenantSettingsSchema>;
