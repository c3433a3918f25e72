import { z } from 'zod';
import { TENANT_SETTING_FIELDS } from '../domain/tenant-settings.schemas';

/** The tenant's settings (tenantSettingsView) and where the settings other modules own live. */
export const TenantSettingsSchema = z
  .object({
    tenantId: z.uuid(),
    code: z.string(),
    ...TENANT_SETTING_FIELDS,
    version: z.int().min(1),
    settingsElsewhere: z
      .object({ escalationCriteria: z.string(), evacuationRegister: z.string() })
      .describe('Routes of the settings each module versions itself'),
  })
  .meta({ id: 'TenantSettings' });
