import { createHash } from 'node:crypto';
import type { Role } from '../src/modules/directory/domain/staff.entity';
import type { SupporterOrganizationType } from '../src/modules/directory/domain/supporter.entity';

/** Stable ids, so demo tokens and docs keep working across fresh databases. */
export function demoId(key: string): string {
  const hex = createHash('sha256').update(`tsunagi-demo:${key}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export interface DemoTenant {
  code: string;
  name: string;
  departments: { code: string; name: string; organ?: 'board_of_education' }[];
  /** `neighbours`: the 地区 next to this one (隣接地区), each pair named once. */
  districts: { code: string; name: string; neighbours?: string[] }[];
}

/** The reference municipality's 課 (domain.md §1), in its own order. */
const REFERENCE_DEPARTMENTS: DemoTenant['departments'] = [
  { code: 'chiiki-kyosei', name: '地域共生推進課' },
  { code: 'fukushi', name: '福祉課' },
  { code: 'choju', name: '長寿課' },
  { code: 'kenko', name: '健康推進課' },
  { code: 'kodomo-mirai', name: '子ども未来課' },
  { code: 'kodomo-katei', name: '子ども家庭課' },
  { code: 'kyoiku-somu', name: '教育総務課', organ: 'board_of_education' }, // 教育委員会: a body of its own
  { code: 'anshin-anzen', name: '安心安全課' },
  { code: 'tatsuse', name: 'たつせがある課' },
  { code: 'kikaku', name: '企画政策課' },
  { code: 'shogai-gakushu', name: '生涯学習課', organ: 'board_of_education' },
];

export const DEMO_TENANTS: DemoTenant[] = [
  {
    code: 'tsunagi-city',
    name: 'つなぎ市',
    departments: REFERENCE_DEPARTMENTS,
    districts: [
      { code: 'A', name: '地区A', neighbours: ['B'] },
      { code: 'B', name: '地区B' },
      { code: 'C', name: '地区C' },
    ],
  },
  {
    code: 'tonari-town',
    name: 'となり町',
    departments: [
      { code: 'fukushi', name: '福祉課' },
      { code: 'choju', name: '長寿課' },
    ],
    districts: [{ code: 'A', name: '地区A' }],
  },
];

export interface DemoStaff {
  kind: 'staff';
  login: string;
  tenant: string;
  displayName: string;
  roles: { role: Role; department?: string }[];
}

export interface DemoSupporter {
  kind: 'supporter';
  login: string;
  tenant: string;
  displayName: string;
  organizationType: SupporterOrganizationType;
  organizationName: string;
  districts: string[];
}

export type DemoAccount = DemoStaff | DemoSupporter;

const city = 'tsunagi-city';
export const DEMO_ACCOUNTS: DemoAccount[] = [
  { kind: 'staff', login: 'admin', tenant: city, displayName: '管理 太郎', roles: [{ role: 'admin' }] },
  { kind: 'staff', login: 'auditor', tenant: city, displayName: '監査 花子', roles: [{ role: 'auditor' }] },
  {
    kind: 'staff',
    login: 'kyosei-coordinator',
    tenant: city,
    displayName: '共生 進',
    roles: [
      { role: 'coordinator', department: 'chiiki-kyosei' },
      { role: 'counselor', department: 'chiiki-kyosei' },
    ],
  },
  { kind: 'staff', login: 'kyosei-manager', tenant: city, displayName: '共生 課長', roles: [{ role: 'manager', department: 'chiiki-kyosei' }] },
  { kind: 'staff', login: 'choju-counselor', tenant: city, displayName: '長寿 和子', roles: [{ role: 'counselor', department: 'choju' }] },
  { kind: 'staff', login: 'choju-manager', tenant: city, displayName: '長寿 課長', roles: [{ role: 'manager', department: 'choju' }] },
  { kind: 'staff', login: 'fukushi-counselor', tenant: city, displayName: '福祉 一郎', roles: [{ role: 'counselor', department: 'fukushi' }] },
  { kind: 'staff', login: 'fukushi-manager', tenant: city, displayName: '福祉 課長', roles: [{ role: 'manager', department: 'fukushi' }] },
  { kind: 'staff', login: 'kenko-counselor', tenant: city, displayName: '健康 保子', roles: [{ role: 'counselor', department: 'kenko' }] },
  {
    kind: 'staff',
    login: 'kodomo-katei-counselor',
    tenant: city,
    displayName: '家庭 守',
    roles: [{ role: 'counselor', department: 'kodomo-katei' }],
  },
  { kind: 'staff', login: 'anshin-counselor', tenant: city, displayName: '安全 防人', roles: [{ role: 'counselor', department: 'anshin-anzen' }] },
  {
    kind: 'supporter',
    login: 'minsei-a',
    tenant: city,
    displayName: '民生 委員A',
    organizationType: 'minsei_iin',
    organizationName: 'つなぎ市民生委員児童委員協議会',
    districts: ['A'],
  },
  {
    kind: 'supporter',
    login: 'minsei-b',
    tenant: city,
    displayName: '民生 委員B',
    organizationType: 'minsei_iin',
    organizationName: 'つなぎ市民生委員児童委員協議会',
    districts: ['B'],
  },
  {
    kind: 'supporter',
    login: 'bosai-a',
    tenant: city,
    displayName: '防災 会長',
    organizationType: 'jishu_bosai',
    organizationName: '地区A自主防災会',
    districts: ['A'],
  },
  {
    kind: 'staff',
    login: 'other-city-counselor',
    tenant: 'tonari-town',
    displayName: '隣 相談員',
    roles: [{ role: 'counselor', department: 'fukushi' }],
  },
  { kind: 'staff', login: 'other-city-admin', tenant: 'tonari-town', displayName: '隣 管理者', roles: [{ role: 'admin' }] },
];

export const tenantId = (code: string) => demoId(`tenant:${code}`);
export const departmentId = (tenant: string, code: string) => demoId(`department:${tenant}:${code}`);
export const accountId = (login: string) => demoId(`account:${login}`);
