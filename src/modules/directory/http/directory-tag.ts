import { ApiTag } from '../../../platform/http/api-contract/api-tags';

/** One tag for the directory's controllers (one description, declared once). */
export const DirectoryTag = () =>
  ApiTag('directory', { ja: '職員名簿・課・権限付与申請・自治体の設定', en: 'The directory: departments, staff, role change requests and the tenant’s settings' });
