/**
 * Who can reach each route: one row per (route, relation), one column per role, the expected HTTP
 * status in each cell. Reviewed like a snapshot: a changed cell is a changed permission.
 *
 * Relations: `none` (no target record), `own-dept` (a record of the caller's own department or, for
 * tenant-wide roles, tenant), `other-dept` (another department of the same tenant), `other-tenant`.
 * 401 = no token accepted, 403 = refused and audited, 404 = not visible at all (audited too, when the
 * record exists in the tenant). Cases and referrals: own-dept is a case the caller's department leads,
 * or a referral sent to it. Case actions use start-assessment, referral actions accept.
 * A route written `…/actions/:action=approve` is the same route called with that action. Approving a
 * 要配慮 share (APPI_SPECIAL, awaiting approval): own-dept is one a counselor of the caller's department
 * prepared, other-dept one another department prepared for the caller's (not sent yet, so not visible).
 * 情報照会: own-dept is a request another department sent to the caller's department (which holds the
 * person), other-dept one between two other departments; actions use approve (basic fields).
 * 多機関協働: coordination records and escalations belong to the tenant's coordinating department
 * (own-dept and other-dept differ only in the case's lead department); a meeting is own-dept when the
 * caller is a member, a task when it is their department's. Any staff member can be made a meeting
 * member, so meetings outside one's membership answer 404 even to administrators.
 * Columns: anonymous, admin, auditor, kyosei-coordinator (地域共生推進課), choju-manager and
 * choju-counselor (長寿課), minsei-a (a supporter), and the register's departments: fukushi-counselor and
 * fukushi-manager (福祉課 keeps the 避難行動要支援者 register), anshin-counselor (安心安全課 declares disasters).
 * For 福祉課's columns, other-dept records are 長寿課's; every other column's are 福祉課's.
 * 避難行動要支援者: the register's records belong to the tenant (福祉課 keeps them for everyone): own-dept is
 * a person or disaster of 地区 A, other-dept one of 地区 B (a supporter covers A only); imports and renewal
 * campaigns have no 地区, so own-dept and other-dept are alike. A return task is own-dept when it is the
 * supporter's own.
 * デモ用サインイン (GET /demo/logins, POST /demo/sign-in): public, and only while the demo runs; the matrix's
 * service runs without the demo (a database named by DATABASE_URL), so they answer 404 to everyone.
 * console.e2e.spec.ts and demo-sign-in.e2e.spec.ts sign in with them in demo mode. How the console signs in
 * (GET /sign-in/options) is public: it names the method and, with an identity provider, its public client.
 * 参加支援: a resource is own-dept when the caller's department owns it (長寿課's for roles without one), other-dept
 * when another department does (人財 alike); every department reads the directory, only the owner edits. A connection is
 * own-dept when a counselor of the caller's department made it, other-dept when another department did;
 * actions use introduce (a manager reads but does not act). Figures: managers and coordinators. A window visit
 * (相談窓口の利用) is own-dept when recorded at the caller's department's window (naming a resident of a case its
 * counselor opened), other-dept at another's; recording one (anonymous visitors) is for counselors and coordinators.
 * Chain verifications: own-dept is one the caller started, other-dept one a colleague of the tenant started.
 * 監査のための閲覧特例 (access grants): own-dept is a request the caller made (written in SQL for roles
 * that cannot request; the auditor's for supporters), other-dept one another staff member of the
 * tenant made, so the administrator's own-dept row shows that nobody decides their own request.
 * Auditors hold a rule on cases that matches only granted ones: without a grant every case is 404.
 * People (find, read, history, correct): own-dept is a person the caller's department collected (a case its
 * counselor opened), other-dept one another department collected and never disclosed: 404, as if unknown.
 * Managers read, only counselors and coordinators correct and check at intake. A person's consents and the
 * disclosures made of them: only counselors of a department holding the person record, withdraw and read them.
 * DV等支援措置 (dv-measures): the person as above; a department's counselors and coordinators ask for a measure,
 * its manager decides. Actions use approve on a set request another staff member made (written in SQL), so
 * counselors see it and are refused (403), and a manager of another department does not see it at all (404).
 * 名寄せ (merges): own-dept merges the second person of a case the caller's department opened into the first;
 * other-dept, other-tenant the same pair of another department's or municipality's case. Undo and the list of
 * merges: a merge of such a pair (written in SQL). Only managers merge, and only records their department holds.
 * Person attach: POST /cases with `none` names a new person; with a relation it names an existing person by
 * id, one of a case that department (or tenant) opened: only a department that holds the person may.
 * `self` (権限付与申請, role changes): PATCH /staff/:id on one's own account adding a counselor role in
 * 長寿課 (the self-grant: 403 even to an administrator), and a role change request about the caller. For
 * role change requests own-dept is one the caller made (written in SQL; an administrator's for
 * supporters), other-dept one another administrator made; both about a fresh colleague, for a role in
 * the caller's department. Nobody decides a request they made or one about themselves.
 */
export const MATRIX_ROLES = [
  'anonymous',
  'admin',
  'auditor',
  'kyosei-coordinator',
  'choju-manager',
  'choju-counselor',
  'minsei-a',
  'fukushi-counselor',
  'fukushi-manager',
  'anshin-counselor',
] as const;

export const ACCESS_MATRIX = `
route                                                         relation     anon   admin  audit  coord  mgr    couns  minsei fk-co  fk-mgr anshin
GET /health                                                   none         200    200    200    200    200    200    200    200    200    200
GET /health/live                                              none         200    200    200    200    200    200    200    200    200    200
GET /health/ready                                             none         200    200    200    200    200    200    200    200    200    200
GET /api/v1                                                   none         200    200    200    200    200    200    200    200    200    200
GET /api/v1/demo/logins                                       none         404    404    404    404    404    404    404    404    404    404
POST /api/v1/demo/sign-in                                     none         404    404    404    404    404    404    404    404    404    404
GET /api/v1/sign-in/options                                   none         200    200    200    200    200    200    200    200    200    200
GET /api/v1/me                                                none         401    200    200    200    200    200    200    200    200    200
GET /api/v1/departments                                       none         401    200    200    200    200    200    403    200    200    200
GET /api/v1/staff                                             none         401    200    403    200    200    403    403    403    200    403
GET /api/v1/staff/:id                                         own-dept     401    200    403    200    200    403    403    403    200    403
GET /api/v1/staff/:id                                         other-dept   401    200    403    200    200    403    403    403    200    403
GET /api/v1/staff/:id                                         other-tenant 401    404    403    404    404    403    403    403    404    403
GET /api/v1/tenant/settings                                   none         401    200    403    403    403    403    403    403    403    403
PATCH /api/v1/tenant/settings                                 none         401    200    403    403    403    403    403    403    403    403
POST /api/v1/staff                                            none         401    201    403    403    403    403    403    403    403    403
PATCH /api/v1/staff/:id                                       own-dept     401    200    403    403    403    403    403    403    403    403
PATCH /api/v1/staff/:id                                       other-dept   401    200    403    403    403    403    403    403    403    403
PATCH /api/v1/staff/:id                                       other-tenant 401    404    403    403    403    403    403    403    403    403
PATCH /api/v1/staff/:id                                       self         401    403    403    403    403    403    403    403    403    403
GET /api/v1/audit/verify                                      none         401    403    200    403    403    403    403    403    403    403
GET /api/v1/reporting/referrals                               none         401    403    403    200    200    403    403    403    200    403
GET /api/v1/reporting/referrals.csv                           none         401    403    403    200    200    403    403    403    200    403
GET /api/v1/reporting/overview                                none         401    403    403    200    200    403    403    403    200    403
GET /api/v1/reporting/overview/:section.csv                   none         401    403    403    200    200    403    403    403    200    403
POST /api/v1/reporting/projections/rebuild                    none         401    200    403    403    403    403    403    403    403    403
GET /api/v1/audit/entries                                     none         401    403    200    403    403    403    403    403    403    403
GET /api/v1/audit/entries.csv                                 none         401    403    200    403    403    403    403    403    403    403
GET /api/v1/audit/persons/:personId                           own-dept     401    403    200    403    403    403    403    403    403    403
GET /api/v1/audit/persons/:personId                           other-dept   401    403    200    403    403    403    403    403    403    403
GET /api/v1/audit/persons/:personId                           other-tenant 401    403    200    403    403    403    403    403    403    403
GET /api/v1/audit/anomalies                                   none         401    403    200    403    403    403    403    403    403    403
POST /api/v1/audit/checkpoints                                none         401    403    201    403    403    403    403    403    403    403
POST /api/v1/audit/checkpoints/verify                         none         401    403    200    403    403    403    403    403    403    403
GET /api/v1/audit/checkpoints/public-key                      none         401    403    200    403    403    403    403    403    403    403
POST /api/v1/audit/verifications                              none         401    403    202    403    403    403    403    403    403    403
GET /api/v1/audit/verifications                               none         401    403    200    403    403    403    403    403    403    403
GET /api/v1/audit/verifications/:id                           own-dept     401    403    200    403    403    403    403    403    403    403
GET /api/v1/audit/verifications/:id                           other-dept   401    403    200    403    403    403    403    403    403    403
GET /api/v1/audit/verifications/:id                           other-tenant 401    403    404    403    403    403    403    403    403    403
POST /api/v1/audit/access-grants                              none         401    403    201    403    403    403    403    403    403    403
GET /api/v1/audit/access-grants                               none         401    200    200    403    403    403    403    403    403    403
GET /api/v1/audit/access-grants/:id                           own-dept     401    200    200    403    403    403    403    403    403    403
GET /api/v1/audit/access-grants/:id                           other-dept   401    200    200    403    403    403    403    403    403    403
GET /api/v1/audit/access-grants/:id                           other-tenant 401    404    404    403    403    403    403    403    403    403
POST /api/v1/audit/access-grants/:id/approve                  own-dept     401    403    403    403    403    403    403    403    403    403
POST /api/v1/audit/access-grants/:id/approve                  other-dept   401    200    403    403    403    403    403    403    403    403
POST /api/v1/audit/access-grants/:id/approve                  other-tenant 401    404    403    403    403    403    403    403    403    403
POST /api/v1/audit/access-grants/:id/decline                  own-dept     401    403    403    403    403    403    403    403    403    403
POST /api/v1/audit/access-grants/:id/decline                  other-dept   401    200    403    403    403    403    403    403    403    403
POST /api/v1/audit/access-grants/:id/decline                  other-tenant 401    404    403    403    403    403    403    403    403    403
POST /api/v1/audit/access-grants/:id/revoke                   own-dept     401    403    200    403    403    403    403    403    403    403
POST /api/v1/audit/access-grants/:id/revoke                   other-dept   401    403    403    403    403    403    403    403    403    403
POST /api/v1/audit/access-grants/:id/revoke                   other-tenant 401    404    404    403    403    403    403    403    403    403
GET /api/v1/role-changes                                      none         401    200    403    403    200    403    403    403    200    403
GET /api/v1/role-changes/:id                                  own-dept     401    200    403    403    200    403    403    403    200    403
GET /api/v1/role-changes/:id                                  other-dept   401    200    403    403    200    403    403    403    200    403
GET /api/v1/role-changes/:id                                  other-tenant 401    404    403    403    404    403    403    403    404    403
GET /api/v1/role-changes/:id                                  self         401    200    403    403    200    403    403    403    200    403
POST /api/v1/role-changes/:id/approve                         own-dept     401    403    403    403    403    403    403    403    403    403
POST /api/v1/role-changes/:id/approve                         other-dept   401    200    403    403    200    403    403    403    200    403
POST /api/v1/role-changes/:id/approve                         other-tenant 401    404    403    403    404    403    403    403    404    403
POST /api/v1/role-changes/:id/approve                         self         401    403    403    403    403    403    403    403    403    403
POST /api/v1/role-changes/:id/decline                         own-dept     401    403    403    403    403    403    403    403    403    403
POST /api/v1/role-changes/:id/decline                         other-dept   401    200    403    403    200    403    403    403    200    403
POST /api/v1/role-changes/:id/decline                         other-tenant 401    404    403    403    404    403    403    403    404    403
POST /api/v1/role-changes/:id/decline                         self         401    403    403    403    403    403    403    403    403    403
POST /api/v1/role-changes/:id/withdraw                        own-dept     401    200    403    403    403    403    403    403    403    403
POST /api/v1/role-changes/:id/withdraw                        other-dept   401    403    403    403    403    403    403    403    403    403
POST /api/v1/role-changes/:id/withdraw                        other-tenant 401    404    403    403    403    403    403    403    403    403
POST /api/v1/role-changes/:id/withdraw                        self         401    403    403    403    403    403    403    403    403    403
GET /api/v1/workflows                                         none         401    200    200    200    200    200    403    200    200    200
GET /api/v1/workflows/:name                                   none         401    200    200    200    200    200    403    200    200    200
GET /api/v1/vocabulary                                        none         401    200    200    200    200    200    200    200    200    200
POST /api/v1/cases                                            none         401    403    403    201    403    201    403    201    403    201
POST /api/v1/cases                                            own-dept     401    403    403    201    403    201    403    201    403    201
POST /api/v1/cases                                            other-dept   401    403    403    404    403    404    403    404    403    404
POST /api/v1/cases                                            other-tenant 401    403    403    404    403    404    403    404    403    404
GET /api/v1/cases                                             none         401    403    200    200    200    200    403    200    200    200
GET /api/v1/cases/:id                                         own-dept     401    403    404    200    200    200    403    200    200    200
GET /api/v1/cases/:id                                         other-dept   401    403    404    404    404    404    403    404    404    404
GET /api/v1/cases/:id                                         other-tenant 401    403    404    404    404    404    403    404    404    404
GET /api/v1/cases/:id/timeline                                own-dept     401    403    404    200    200    200    403    200    200    200
GET /api/v1/cases/:id/timeline                                other-dept   401    403    404    404    404    404    403    404    404    404
GET /api/v1/cases/:id/timeline                                other-tenant 401    403    404    404    404    404    403    404    404    404
POST /api/v1/cases/:id/actions/:action                        own-dept     401    403    403    200    403    200    403    200    403    200
POST /api/v1/cases/:id/actions/:action                        other-dept   401    403    403    404    403    404    403    404    403    404
POST /api/v1/cases/:id/actions/:action                        other-tenant 401    403    403    404    403    404    403    404    403    404
POST /api/v1/cases/:id/notes                                  own-dept     401    403    403    201    403    201    403    201    403    201
POST /api/v1/cases/:id/notes                                  other-dept   401    403    403    404    403    404    403    404    403    404
POST /api/v1/cases/:id/notes                                  other-tenant 401    403    403    404    403    404    403    404    403    404
POST /api/v1/cases/:id/consents                               own-dept     401    403    403    201    403    201    403    201    403    201
POST /api/v1/cases/:id/consents                               other-dept   401    403    403    404    403    404    403    404    403    404
POST /api/v1/cases/:id/consents                               other-tenant 401    403    403    404    403    404    403    404    403    404
POST /api/v1/cases/:id/consents/:consentId/actions/withdraw   own-dept     401    403    403    200    403    200    403    200    403    200
POST /api/v1/cases/:id/consents/:consentId/actions/withdraw   other-dept   401    403    403    404    403    404    403    404    403    404
POST /api/v1/cases/:id/consents/:consentId/actions/withdraw   other-tenant 401    403    403    404    403    404    403    404    403    404
POST /api/v1/cases/:id/referrals                              own-dept     401    403    403    201    403    201    403    201    403    201
POST /api/v1/cases/:id/referrals                              other-dept   401    403    403    404    403    404    403    404    403    404
POST /api/v1/cases/:id/referrals                              other-tenant 401    403    403    404    403    404    403    404    403    404
POST /api/v1/cases/:id/persons                                own-dept     401    403    403    201    403    201    403    201    403    201
POST /api/v1/cases/:id/persons                                other-dept   401    403    403    404    403    404    403    404    403    404
POST /api/v1/cases/:id/persons                                other-tenant 401    403    403    404    403    404    403    404    403    404
POST /api/v1/cases/:id/persons/:personId/actions/remove       own-dept     401    403    403    200    403    200    403    200    403    200
POST /api/v1/cases/:id/persons/:personId/actions/remove       other-dept   401    403    403    404    403    404    403    404    403    404
POST /api/v1/cases/:id/persons/:personId/actions/remove       other-tenant 401    403    403    404    403    404    403    404    403    404
PUT /api/v1/cases/:id/issues                                  own-dept     401    403    403    200    403    200    403    200    403    200
PUT /api/v1/cases/:id/issues                                  other-dept   401    403    403    404    403    404    403    404    403    404
PUT /api/v1/cases/:id/issues                                  other-tenant 401    403    403    404    403    404    403    404    403    404
GET /api/v1/people                                            none         401    403    403    200    200    200    403    200    200    200
POST /api/v1/people/intake-checks                             none         401    403    403    200    403    200    403    200    403    200
GET /api/v1/people/:id                                        own-dept     401    403    403    200    200    200    403    200    200    200
GET /api/v1/people/:id                                        other-dept   401    403    403    404    404    404    403    404    404    404
GET /api/v1/people/:id                                        other-tenant 401    403    403    404    404    404    403    404    404    404
GET /api/v1/people/:id/history                                own-dept     401    403    403    200    200    200    403    200    200    200
GET /api/v1/people/:id/history                                other-dept   401    403    403    404    404    404    403    404    404    404
GET /api/v1/people/:id/history                                other-tenant 401    403    403    404    404    404    403    404    404    404
PATCH /api/v1/people/:id                                      own-dept     401    403    403    200    403    200    403    200    403    200
PATCH /api/v1/people/:id                                      other-dept   401    403    403    404    403    404    403    404    403    404
PATCH /api/v1/people/:id                                      other-tenant 401    403    403    404    403    404    403    404    403    404
POST /api/v1/people/:id/consents                              own-dept     401    403    403    201    403    201    403    201    403    201
POST /api/v1/people/:id/consents                              other-dept   401    403    403    404    403    404    403    404    403    404
POST /api/v1/people/:id/consents                              other-tenant 401    403    403    404    403    404    403    404    403    404
GET /api/v1/people/:id/consents                               own-dept     401    403    403    200    403    200    403    200    403    200
GET /api/v1/people/:id/consents                               other-dept   401    403    403    404    403    404    403    404    403    404
GET /api/v1/people/:id/consents                               other-tenant 401    403    403    404    403    404    403    404    403    404
POST /api/v1/people/:id/consents/:consentId/actions/withdraw  own-dept     401    403    403    200    403    200    403    200    403    200
POST /api/v1/people/:id/consents/:consentId/actions/withdraw  other-dept   401    403    403    404    403    404    403    404    403    404
POST /api/v1/people/:id/consents/:consentId/actions/withdraw  other-tenant 401    403    403    404    403    404    403    404    403    404
GET /api/v1/people/:id/disclosures                            own-dept     401    403    403    200    403    200    403    200    403    200
GET /api/v1/people/:id/disclosures                            other-dept   401    403    403    404    403    404    403    404    403    404
GET /api/v1/people/:id/disclosures                            other-tenant 401    403    403    404    403    404    403    404    403    404
GET /api/v1/people/dv-measures/renewals-due                   none         401    403    403    200    200    200    403    200    200    200
GET /api/v1/people/:id/dv-measures                            own-dept     401    403    403    200    200    200    403    200    200    200
GET /api/v1/people/:id/dv-measures                            other-dept   401    403    403    404    404    404    403    404    404    404
GET /api/v1/people/:id/dv-measures                            other-tenant 401    403    403    404    404    404    403    404    404    404
POST /api/v1/people/:id/dv-measures                           own-dept     401    403    403    201    403    201    403    201    403    201
POST /api/v1/people/:id/dv-measures                           other-dept   401    403    403    404    403    404    403    404    403    404
POST /api/v1/people/:id/dv-measures                           other-tenant 401    403    403    404    403    404    403    404    403    404
POST /api/v1/people/:id/dv-measures/:dvMeasureId/actions/:action own-dept     401    403    403    403    200    403    403    403    200    403
POST /api/v1/people/:id/dv-measures/:dvMeasureId/actions/:action other-dept   401    403    403    404    404    404    403    404    404    404
POST /api/v1/people/:id/dv-measures/:dvMeasureId/actions/:action other-tenant 401    403    403    404    404    404    403    404    404    404
POST /api/v1/people/:id/merges                                own-dept     401    403    403    403    201    403    403    403    201    403
POST /api/v1/people/:id/merges                                other-dept   401    403    403    403    404    403    403    403    404    403
POST /api/v1/people/:id/merges                                other-tenant 401    403    403    403    404    403    403    403    404    403
POST /api/v1/people/merges/:mergeId/undo                      own-dept     401    403    403    403    200    403    403    403    200    403
POST /api/v1/people/merges/:mergeId/undo                      other-dept   401    403    403    403    404    403    403    403    404    403
POST /api/v1/people/merges/:mergeId/undo                      other-tenant 401    403    403    403    404    403    403    403    404    403
GET /api/v1/people/:id/merges                                 own-dept     401    403    403    403    200    403    403    403    200    403
GET /api/v1/people/:id/merges                                 other-dept   401    403    403    403    404    403    403    403    404    403
GET /api/v1/people/:id/merges                                 other-tenant 401    403    403    403    404    403    403    403    404    403
GET /api/v1/referrals                                         none         401    403    403    200    200    200    403    200    200    200
GET /api/v1/referrals/:id                                     own-dept     401    403    403    200    200    200    403    200    200    200
GET /api/v1/referrals/:id                                     other-dept   401    403    403    404    404    404    403    404    404    404
GET /api/v1/referrals/:id                                     other-tenant 401    403    403    404    404    404    403    404    404    404
POST /api/v1/referrals/:id/actions/:action                    own-dept     401    403    403    200    200    200    403    200    200    200
POST /api/v1/referrals/:id/actions/:action                    other-dept   401    403    403    404    404    404    403    404    404    404
POST /api/v1/referrals/:id/actions/:action                    other-tenant 401    403    403    404    404    404    403    404    404    404
POST /api/v1/referrals/:id/actions/:action=approve            own-dept     401    403    403    403    200    403    403    403    200    403
POST /api/v1/referrals/:id/actions/:action=approve            other-dept   401    403    403    404    404    404    403    404    404    404
POST /api/v1/referrals/:id/actions/:action=approve            other-tenant 401    403    403    404    404    404    403    404    404    404
POST /api/v1/information-requests                             none         401    403    403    201    403    201    403    201    403    201
GET /api/v1/information-requests                              none         401    403    403    200    200    200    403    200    200    200
GET /api/v1/information-requests/:id                          own-dept     401    403    403    200    200    200    403    200    200    200
GET /api/v1/information-requests/:id                          other-dept   401    403    403    404    404    404    403    404    404    404
GET /api/v1/information-requests/:id                          other-tenant 401    403    403    404    404    404    403    404    404    404
POST /api/v1/information-requests/:id/actions/:action         own-dept     401    403    403    200    200    200    403    200    200    200
POST /api/v1/information-requests/:id/actions/:action         other-dept   401    403    403    404    404    404    403    404    404    404
POST /api/v1/information-requests/:id/actions/:action         other-tenant 401    403    403    404    404    404    403    404    404    404
GET /api/v1/coordination/criteria                             none         401    200    403    200    403    403    403    403    403    403
PUT /api/v1/coordination/criteria                             none         401    200    403    403    403    403    403    403    403    403
GET /api/v1/coordination/queue                                none         401    403    403    200    403    403    403    403    403    403
GET /api/v1/coordination/candidates                           none         401    403    403    200    403    403    403    403    403    403
GET /api/v1/coordination/escalations                          none         401    403    403    200    403    403    403    403    403    403
POST /api/v1/coordination/escalations                         none         401    403    403    201    403    201    403    201    403    201
POST /api/v1/coordination/escalations/:id/actions/:action     own-dept     401    403    403    200    403    403    403    403    403    403
POST /api/v1/coordination/escalations/:id/actions/:action     other-dept   401    403    403    200    403    403    403    403    403    403
POST /api/v1/coordination/escalations/:id/actions/:action     other-tenant 401    403    403    404    403    403    403    403    403    403
POST /api/v1/coordination/cases                               none         401    403    403    201    403    403    403    403    403    403
GET /api/v1/coordination/cases                                none         401    403    403    200    200    200    403    200    200    200
GET /api/v1/coordination/cases/:id                            own-dept     401    403    403    200    200    200    403    200    200    200
GET /api/v1/coordination/cases/:id                            other-dept   401    403    403    200    404    404    403    404    404    404
GET /api/v1/coordination/cases/:id                            other-tenant 401    403    403    404    404    404    403    404    404    404
POST /api/v1/coordination/cases/:id/actions/:action           own-dept     401    403    403    200    403    403    403    403    403    403
POST /api/v1/coordination/cases/:id/actions/:action           other-dept   401    403    403    200    403    403    403    403    403    403
POST /api/v1/coordination/cases/:id/actions/:action           other-tenant 401    403    403    404    403    403    403    403    403    403
PUT /api/v1/coordination/cases/:id/plan                       own-dept     401    403    403    200    403    403    403    403    403    403
PUT /api/v1/coordination/cases/:id/plan                       other-dept   401    403    403    200    403    403    403    403    403    403
PUT /api/v1/coordination/cases/:id/plan                       other-tenant 401    403    403    404    403    403    403    403    403    403
POST /api/v1/coordination/cases/:id/reviews                   own-dept     401    403    403    201    403    403    403    403    403    403
POST /api/v1/coordination/cases/:id/reviews                   other-dept   401    403    403    201    403    403    403    403    403    403
POST /api/v1/coordination/cases/:id/reviews                   other-tenant 401    403    403    404    403    403    403    403    403    403
POST /api/v1/coordination/cases/:id/evaluations               own-dept     401    403    403    201    403    403    403    403    403    403
POST /api/v1/coordination/cases/:id/evaluations               other-dept   401    403    403    201    403    403    403    403    403    403
POST /api/v1/coordination/cases/:id/evaluations               other-tenant 401    403    403    404    403    403    403    403    403    403
GET /api/v1/coordination/tasks                                none         401    403    403    200    200    200    403    200    200    200
POST /api/v1/coordination/tasks/:id/actions/report            own-dept     401    403    403    200    200    200    403    200    200    200
POST /api/v1/coordination/tasks/:id/actions/report            other-dept   401    403    403    403    403    403    403    403    403    403
POST /api/v1/coordination/tasks/:id/actions/report            other-tenant 401    403    403    404    404    404    403    404    404    404
POST /api/v1/meetings                                         none         401    403    403    201    403    403    403    403    403    403
GET /api/v1/meetings                                          none         401    200    200    200    200    200    403    200    200    200
GET /api/v1/meetings/:id                                      own-dept     401    404    200    200    200    200    403    200    200    200
GET /api/v1/meetings/:id                                      other-dept   401    404    200    200    404    404    403    404    404    404
GET /api/v1/meetings/:id                                      other-tenant 401    404    404    404    404    404    403    404    404    404
POST /api/v1/meetings/:id/members                             own-dept     401    403    403    201    403    403    403    403    403    403
POST /api/v1/meetings/:id/members                             other-dept   401    403    403    201    403    403    403    403    403    403
POST /api/v1/meetings/:id/members                             other-tenant 401    403    403    404    403    403    403    403    403    403
POST /api/v1/meetings/:id/cases                               own-dept     401    403    403    201    403    403    403    403    403    403
POST /api/v1/meetings/:id/cases                               other-dept   401    403    403    201    403    403    403    403    403    403
POST /api/v1/meetings/:id/cases                               other-tenant 401    403    403    404    403    403    403    403    403    403
GET /api/v1/meetings/:id/cases/:caseId                        own-dept     401    404    403    200    200    200    403    200    200    200
GET /api/v1/meetings/:id/cases/:caseId                        other-dept   401    404    403    200    404    404    403    404    404    404
GET /api/v1/meetings/:id/cases/:caseId                        other-tenant 401    404    404    404    404    404    403    404    404    404
POST /api/v1/meetings/:id/decisions                           own-dept     401    403    403    201    403    403    403    403    403    403
POST /api/v1/meetings/:id/decisions                           other-dept   401    403    403    201    403    403    403    403    403    403
POST /api/v1/meetings/:id/decisions                           other-tenant 401    403    403    404    403    403    403    403    403    403
PUT /api/v1/meetings/:id/minutes                              own-dept     401    403    403    200    403    403    403    403    403    403
PUT /api/v1/meetings/:id/minutes                              other-dept   401    403    403    200    403    403    403    403    403    403
PUT /api/v1/meetings/:id/minutes                              other-tenant 401    403    403    404    403    403    403    403    403    403
GET /api/v1/evacuation-support/settings                       none         401    403    403    403    403    403    403    200    200    403
PUT /api/v1/evacuation-support/settings                       none         401    403    403    403    403    403    403    200    200    403
POST /api/v1/evacuation-support/imports                       none         401    403    403    403    403    403    403    201    201    403
GET /api/v1/evacuation-support/imports/:id                    own-dept     401    403    403    403    403    403    403    200    200    403
GET /api/v1/evacuation-support/imports/:id                    other-dept   401    403    403    403    403    403    403    200    200    403
GET /api/v1/evacuation-support/imports/:id                    other-tenant 401    403    403    403    403    403    403    404    404    403
POST /api/v1/evacuation-support/imports/:id/actions/:action   own-dept     401    403    403    403    403    403    403    202    202    403
POST /api/v1/evacuation-support/imports/:id/actions/:action   other-dept   401    403    403    403    403    403    403    202    202    403
POST /api/v1/evacuation-support/imports/:id/actions/:action   other-tenant 401    403    403    403    403    403    403    404    404    403
POST /api/v1/evacuation-support/entries                       none         401    403    403    201    403    201    403    201    201    201
GET /api/v1/evacuation-support/entries                        none         401    403    403    403    403    403    403    200    200    403
GET /api/v1/evacuation-support/entries/:id                    own-dept     401    403    403    403    403    403    403    200    200    403
GET /api/v1/evacuation-support/entries/:id                    other-dept   401    403    403    403    403    403    403    200    200    403
GET /api/v1/evacuation-support/entries/:id                    other-tenant 401    403    403    403    403    403    403    404    404    403
POST /api/v1/evacuation-support/entries/:id/actions/:action   own-dept     401    403    403    403    403    403    403    200    200    403
POST /api/v1/evacuation-support/entries/:id/actions/:action   other-dept   401    403    403    403    403    403    403    200    200    403
POST /api/v1/evacuation-support/entries/:id/actions/:action   other-tenant 401    403    403    403    403    403    403    404    404    403
PUT /api/v1/evacuation-support/entries/:id/plan               own-dept     401    403    403    200    403    200    403    200    200    200
PUT /api/v1/evacuation-support/entries/:id/plan               other-dept   401    403    403    200    403    200    403    200    200    200
PUT /api/v1/evacuation-support/entries/:id/plan               other-tenant 401    403    403    404    403    404    403    404    404    404
POST /api/v1/evacuation-support/notices                       none         401    403    403    403    403    403    403    200    200    403
GET /api/v1/evacuation-support/notices.csv                    none         401    403    403    403    403    403    403    200    200    403
POST /api/v1/evacuation-support/notices/actions/mark-mailed   none         401    403    403    403    403    403    403    200    200    403
GET /api/v1/evacuation-support/roster                         none         401    403    403    403    403    403    200    200    200    403
GET /api/v1/evacuation-support/roster.csv                     none         401    403    403    403    403    403    200    200    200    403
GET /api/v1/evacuation-support/roster/:personId               own-dept     401    403    403    403    403    403    200    200    200    403
GET /api/v1/evacuation-support/roster/:personId               other-dept   401    403    403    403    403    403    403    200    200    403
GET /api/v1/evacuation-support/roster/:personId               other-tenant 401    403    403    403    403    403    403    403    403    403
GET /api/v1/evacuation-support/plans                          none         401    403    403    403    403    403    200    200    200    403
GET /api/v1/evacuation-support/disasters                      none         401    200    200    200    200    200    200    200    200    200
POST /api/v1/evacuation-support/disasters                     none         401    403    403    403    403    403    403    403    403    201
POST /api/v1/evacuation-support/disasters/:id/actions/close   own-dept     401    403    403    403    403    403    403    403    403    200
POST /api/v1/evacuation-support/disasters/:id/actions/close   other-dept   401    403    403    403    403    403    403    403    403    200
POST /api/v1/evacuation-support/disasters/:id/actions/close   other-tenant 401    403    403    403    403    403    403    403    403    404
POST /api/v1/evacuation-support/renewal-campaigns             none         401    403    403    403    403    403    403    201    201    403
GET /api/v1/evacuation-support/renewal-campaigns/:id          own-dept     401    403    403    403    403    403    403    200    200    403
GET /api/v1/evacuation-support/renewal-campaigns/:id          other-dept   401    403    403    403    403    403    403    200    200    403
GET /api/v1/evacuation-support/renewal-campaigns/:id          other-tenant 401    403    403    403    403    403    403    404    404    403
GET /api/v1/evacuation-support/return-tasks                   none         401    403    403    403    403    403    200    403    403    403
POST /api/v1/evacuation-support/return-tasks/:id/actions/done own-dept     401    403    403    403    403    403    200    403    403    403
POST /api/v1/evacuation-support/return-tasks/:id/actions/done other-dept   401    403    403    403    403    403    404    403    403    403
POST /api/v1/evacuation-support/return-tasks/:id/actions/done other-tenant 401    403    403    403    403    403    404    403    403    403
GET /api/v1/evacuation-support/figures                        none         401    403    403    403    403    403    403    200    200    403
GET /api/v1/participation/resources                           none         401    403    403    200    200    200    403    200    200    200
POST /api/v1/participation/resources                          none         401    403    403    201    201    201    403    201    201    201
POST /api/v1/participation/resources/imports                  none         401    403    403    201    201    201    403    201    201    201
GET /api/v1/participation/resources/:id                       own-dept     401    403    403    200    200    200    403    200    200    200
GET /api/v1/participation/resources/:id                       other-dept   401    403    403    200    200    200    403    200    200    200
GET /api/v1/participation/resources/:id                       other-tenant 401    403    403    404    404    404    403    404    404    404
PATCH /api/v1/participation/resources/:id                     own-dept     401    403    403    200    200    200    403    200    200    200
PATCH /api/v1/participation/resources/:id                     other-dept   401    403    403    403    403    403    403    403    403    403
PATCH /api/v1/participation/resources/:id                     other-tenant 401    403    403    404    404    404    403    404    404    404
POST /api/v1/participation/resources/:id/actions/close        own-dept     401    403    403    200    200    200    403    200    200    200
POST /api/v1/participation/resources/:id/actions/close        other-dept   401    403    403    403    403    403    403    403    403    403
POST /api/v1/participation/resources/:id/actions/close        other-tenant 401    403    403    404    404    404    403    404    404    404
GET /api/v1/participation/volunteers                          none         401    403    403    200    200    200    403    200    200    200
POST /api/v1/participation/volunteers                         none         401    403    403    201    201    201    403    201    201    201
GET /api/v1/participation/volunteers/:id                      own-dept     401    403    403    200    200    200    403    200    200    200
GET /api/v1/participation/volunteers/:id                      other-dept   401    403    403    200    200    200    403    200    200    200
GET /api/v1/participation/volunteers/:id                      other-tenant 401    403    403    404    404    404    403    404    404    404
PATCH /api/v1/participation/volunteers/:id                    own-dept     401    403    403    200    200    200    403    200    200    200
PATCH /api/v1/participation/volunteers/:id                    other-dept   401    403    403    403    403    403    403    403    403    403
PATCH /api/v1/participation/volunteers/:id                    other-tenant 401    403    403    404    404    404    403    404    404    404
GET /api/v1/participation/figures                             none         401    403    403    200    200    403    403    403    200    403
GET /api/v1/participation/figures.csv                         none         401    403    403    200    200    403    403    403    200    403
GET /api/v1/participation/proposals                           none         401    403    403    200    200    200    403    200    200    200
GET /api/v1/participation/connections                         none         401    403    403    200    200    200    403    200    200    200
POST /api/v1/participation/connections                        none         401    403    403    201    403    201    403    201    403    201
GET /api/v1/participation/connections/:id                     own-dept     401    403    403    200    200    200    403    200    200    200
GET /api/v1/participation/connections/:id                     other-dept   401    403    403    404    404    404    403    404    404    404
GET /api/v1/participation/connections/:id                     other-tenant 401    403    403    404    404    404    403    404    404    404
POST /api/v1/participation/connections/:id/actions/:action    own-dept     401    403    403    200    403    200    403    200    403    200
POST /api/v1/participation/connections/:id/actions/:action    other-dept   401    403    403    404    404    404    403    404    404    404
POST /api/v1/participation/connections/:id/actions/:action    other-tenant 401    403    403    404    404    404    403    404    404    404
POST /api/v1/participation/window-visits                      none         401    403    403    201    403    201    403    201    403    201
GET /api/v1/participation/window-visits                       none         401    403    403    200    200    200    403    200    200    200
GET /api/v1/participation/window-visits/:id                   own-dept     401    403    403    200    200    200    403    200    200    200
GET /api/v1/participation/window-visits/:id                   other-dept   401    403    403    404    404    404    403    404    404    404
GET /api/v1/participation/window-visits/:id                   other-tenant 401    403    403    404    404    404    403    404    404    404
`;

export type Relation = 'none' | 'own-dept' | 'other-dept' | 'other-tenant' | 'self';
export type MatrixRole = (typeof MATRIX_ROLES)[number];

export interface MatrixRow {
  route: string;
  relation: Relation;
  role: MatrixRole;
  status: number;
  /** For an action route written `…/actions/:action=approve`: the action this row calls (else the route's usual one). */
  action?: string;
}

export function matrixRows(): MatrixRow[] {
  const [, ...lines] = ACCESS_MATRIX.trim().split('\n');
  return lines.flatMap((line) => {
    const [method, written, relation, ...statuses] = line.trim().split(/\s+/);
    if (statuses.length !== MATRIX_ROLES.length) throw new Error(`access matrix row has ${statuses.length} cells: ${line}`);
    const [path, action] = written.split('=');
    return MATRIX_ROLES.map((role, i) => ({ route: `${method} ${path}`, relation: relation as Relation, role, status: Number(statuses[i]), ...(action ? { action } : {}) }));
  });
}
