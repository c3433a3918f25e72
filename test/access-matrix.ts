/**
 * Who can reach each route: one row per (route, relation), one column per role, the expected HTTP
 * status in each cell. Reviewed like a snapshot: a changed cell is a changed permission.
 *
 * Relations: `none` (no target record), `own-dept` (a record of the caller's own department or, for
 * tenant-wide roles, tenant), `other-dept` (another department of the same tenant), `other-tenant`.
 * 401 = no token accepted, 403 = refused and audited, 404 = not visible at all (audited too, when the
 * record exists in the tenant). Cases and referrals: own-dept is a case the caller's department leads,
 * or a referral sent to it. Case actions use start-assessment, referral actions accept.
 */
export const MATRIX_ROLES = ['anonymous', 'admin', 'auditor', 'kyosei-coordinator', 'choju-manager', 'choju-counselor', 'minsei-a'] as const;

export const ACCESS_MATRIX = `
route                            relation       anonymous admin auditor coordinator manager counselor minsei
GET /health                      none           200       200   200     200         200     200       200
GET /api/v1/me                   none           401       200   200     200         200     200       200
GET /api/v1/departments          none           401       200   200     200         200     200       403
GET /api/v1/staff                none           401       200   403     403         200     403       403
GET /api/v1/staff/:id            own-dept       401       200   403     403         200     403       403
GET /api/v1/staff/:id            other-dept     401       200   403     403         200     403       403
GET /api/v1/staff/:id            other-tenant   401       404   403     403         404     403       403
POST /api/v1/staff               none           401       201   403     403         403     403       403
PATCH /api/v1/staff/:id          own-dept       401       200   403     403         403     403       403
PATCH /api/v1/staff/:id          other-dept     401       200   403     403         403     403       403
PATCH /api/v1/staff/:id          other-tenant   401       404   403     403         403     403       403
GET /api/v1/audit/verify         none           401       403   200     403         403     403       403
GET /api/v1/workflows            none           401       200   200     200         200     200       403
GET /api/v1/workflows/:name      none           401       200   200     200         200     200       403
POST /api/v1/cases               none           401       403   403     201         403     201       403
GET /api/v1/cases                none           401       403   403     200         200     200       403
GET /api/v1/cases/:id            own-dept       401       403   403     200         200     200       403
GET /api/v1/cases/:id            other-dept     401       403   403     404         404     404       403
GET /api/v1/cases/:id            other-tenant   401       403   403     404         404     404       403
GET /api/v1/cases/:id/timeline   own-dept       401       403   403     200         200     200       403
GET /api/v1/cases/:id/timeline   other-dept     401       403   403     404         404     404       403
GET /api/v1/cases/:id/timeline   other-tenant   401       403   403     404         404     404       403
POST /api/v1/cases/:id/actions/:action own-dept 401       403   403     200         403     200       403
POST /api/v1/cases/:id/actions/:action other-dept 401     403   403     404         403     404       403
POST /api/v1/cases/:id/actions/:action other-tenant 401   403   403     404         403     404       403
POST /api/v1/cases/:id/notes     own-dept       401       403   403     201         403     201       403
POST /api/v1/cases/:id/notes     other-dept     401       403   403     404         403     404       403
POST /api/v1/cases/:id/notes     other-tenant   401       403   403     404         403     404       403
POST /api/v1/cases/:id/consents  own-dept       401       403   403     201         403     201       403
POST /api/v1/cases/:id/consents  other-dept     401       403   403     404         403     404       403
POST /api/v1/cases/:id/consents  other-tenant   401       403   403     404         403     404       403
POST /api/v1/cases/:id/consents/:consentId/actions/withdraw own-dept 401 403 403 200 403 200 403
POST /api/v1/cases/:id/consents/:consentId/actions/withdraw other-dept 401 403 403 404 403 404 403
POST /api/v1/cases/:id/consents/:consentId/actions/withdraw other-tenant 401 403 403 404 403 404 403
POST /api/v1/cases/:id/referrals own-dept       401       403   403     201         403     201       403
POST /api/v1/cases/:id/referrals other-dept     401       403   403     404         403     404       403
POST /api/v1/cases/:id/referrals other-tenant   401       403   403     404         403     404       403
GET /api/v1/referrals            none           401       403   403     200         200     200       403
GET /api/v1/referrals/:id        own-dept       401       403   403     200         200     200       403
GET /api/v1/referrals/:id        other-dept     401       403   403     404         404     404       403
GET /api/v1/referrals/:id        other-tenant   401       403   403     404         404     404       403
POST /api/v1/referrals/:id/actions/:action own-dept 401   403   403     200         200     200       403
POST /api/v1/referrals/:id/actions/:action other-dept 401 403   403     404         404     404       403
POST /api/v1/referrals/:id/actions/:action other-tenant 401 403 403     404         404     404       403
`;

export type Relation = 'none' | 'own-dept' | 'other-dept' | 'other-tenant';
export type MatrixRole = (typeof MATRIX_ROLES)[number];

export interface MatrixRow {
  route: string;
  relation: Relation;
  role: MatrixRole;
  status: number;
}

export function matrixRows(): MatrixRow[] {
  const [, ...lines] = ACCESS_MATRIX.trim().split('\n');
  return lines.flatMap((line) => {
    const [method, path, relation, ...statuses] = line.trim().split(/\s+/);
    if (statuses.length !== MATRIX_ROLES.length) throw new Error(`access matrix row has ${statuses.length} cells: ${line}`);
    return MATRIX_ROLES.map((role, i) => ({ route: `${method} ${path}`, relation: relation as Relation, role, status: Number(statuses[i]) }));
  });
}
