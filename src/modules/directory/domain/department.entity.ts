import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { vocabulary } from '../../../platform/vocabulary/vocabulary';

/** 機関 — the body a department belongs to: a share between two bodies is a provision, not internal use. */
export const DEPARTMENT_ORGAN_LABELS = vocabulary('departmentOrgan', {
  mayor: { ja: '市長部局', en: "Mayor's offices" },
  board_of_education: { ja: '教育委員会', en: 'Board of education' },
});
export const DEPARTMENT_ORGANS = DEPARTMENT_ORGAN_LABELS.codes;

/** 課 — a department of the municipality, with a stable code (domain.md §1). */
export const DepartmentSchema = defineEntity({
  name: 'Department',
  tableName: 'departments',
  properties: {
    id: p.uuid().primary(),
    tenantId: p.uuid(),
    code: p.string(),
    name: p.string(),
    sortOrder: p.integer().default(0),
    /** The department that coordinates 多機関協働 (地域共生推進課 in the reference municipality). */
    coordinating: p.boolean().default(false),
    /** register: keeps the 避難行動要支援者名簿 (福祉課); disaster: declares disasters (安心安全課). */
    responsibilities: p.array(),
    /** The 機関 (body) it belongs to: mayor (市長部局) or board_of_education (教育委員会, a body of its own). */
    organ: p.enum(DEPARTMENT_ORGANS).default('mayor'),
  },
});
export type Department = InferEntity<typeof DepartmentSchema>;

/** 地区 — a district, the unit community supporters cover. */
export const DistrictSchema = defineEntity({
  name: 'District',
  tableName: 'districts',
  properties: {
    id: p.uuid().primary(),
    tenantId: p.uuid(),
    code: p.string(),
    name: p.string(),
    /** 隣接地区 — the 地区 next to this one (either side may name the pair): "near" reaches them too. */
    neighbours: p.array().default([]),
  },
});
export type District = InferEntity<typeof DistrictSchema>;
