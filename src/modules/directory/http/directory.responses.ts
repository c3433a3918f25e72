import { z } from 'zod';
import { DEPARTMENT_ORGANS } from '../domain/department.entity';
import { SUPPORTER_ORGANIZATION_TYPES } from '../domain/supporter.entity';
import { RoleChangeSchema, RoleInDepartmentSchema } from './role-change.responses';

/** 課 (ListDepartmentsHandler: the entity as stored). */
export const DepartmentSchema = z
  .object({
    id: z.uuid(),
    tenantId: z.uuid(),
    code: z.string().describe('Stable code, e.g. choju'),
    name: z.string(),
    sortOrder: z.int().describe("The municipality's order"),
    coordinating: z.boolean().describe('Coordinates 多機関協働'),
    responsibilities: z.array(z.string()).describe('e.g. register (keeps the 避難行動要支援者名簿), disaster (declares disasters)'),
    organ: z.enum(DEPARTMENT_ORGANS).describe('The body (機関) it belongs to: mayor (市長部局) or board_of_education (教育委員会); decides APPI_INTERNAL vs APPI_PUBLIC_BODY'),
  })
  .meta({ id: 'Department' });

const TenantRefSchema = z.object({ id: z.uuid(), code: z.string(), name: z.string() }).meta({ id: 'TenantRef' });

/** The signed-in person as the directory knows them (GetMeHandler): roles come from here, never from the token. */
export const MeSchema = z
  .discriminatedUnion('kind', [
    z.object({
      kind: z.literal('staff'),
      id: z.uuid(),
      tenantId: z.uuid(),
      displayName: z.string(),
      roles: z.array(RoleInDepartmentSchema),
      caseGrants: z
        .array(z.object({ grantId: z.uuid(), caseId: z.uuid(), includeSensitive: z.boolean() }))
        .describe('Live 閲覧特例 (access grants) of an auditor'),
      tenant: TenantRefSchema,
    }),
    z.object({
      kind: z.literal('supporter'),
      id: z.uuid(),
      tenantId: z.uuid(),
      displayName: z.string(),
      organizationType: z.enum(SUPPORTER_ORGANIZATION_TYPES),
      districtCodes: z.array(z.string()).describe('The 地区 the supporter covers'),
      tenant: TenantRefSchema,
    }),
  ])
  .meta({ id: 'Me' });

/** What only administrators see of a staff member (managers see id, displayName and roles). */
const staffAccount = {
  tenantId: z.uuid(),
  login: z.string(),
  subject: z.string().describe("The identity provider's subject"),
  email: z.string().nullable(),
  active: z.boolean(),
  version: z.int().min(1),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
};
const staffDirectory = { id: z.uuid(), displayName: z.string(), roles: z.array(RoleInDepartmentSchema) };

/** A staff member, field-filtered by the ability (StaffDirectory + pickPermitted): the account fields for administrators only. */
export const StaffViewSchema = z.object({ ...staffDirectory, ...z.object(staffAccount).partial().shape }).meta({ id: 'Staff' });

/** A staff member after an administrator's change, with the roles still waiting for approval, if any. */
export const StaffChangeSchema = z
  .object({
    ...staffDirectory,
    ...staffAccount,
    // A union, not .nullable(): OpenAPI 3.0 cannot make a $ref nullable (`nullable` needs a `type` beside it).
    pendingRoleChange: z.union([RoleChangeSchema, z.null()]).describe('Roles that open personal data wait here for a second person'),
  })
  .meta({ id: 'StaffChange' });
