import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { OpenAPIObject } from '@nestjs/swagger';
import { DESCRIBED } from '../../src/platform/http/api-contract/operation.decorator';
import { PAGE_LIMIT } from '../../src/platform/http/api-contract/paging';
import { ApiContract } from '../support/api-contract';
import { listRoutes } from '../support/routes';
import { Fixtures } from '../support/fixtures';
import { expectStablePaging } from '../support/paging';
import { startTestApp, type TestApp } from '../support/test-app';

type Operation = {
  operationId?: string;
  summary?: string;
  tags?: string[];
  parameters?: { name: string; in: string; required?: boolean }[];
  responses: Record<string, { content?: Record<string, { schema?: { $ref?: string; format?: string } }> }>;
  [DESCRIBED]?: boolean;
};

/**
 * What an operation's description lacks for a client built on it alone: described with @Operation;
 * a 2xx answer that is a named component, 204, or a file (binary of a media type); errors all
 * problem+json; a camelCase operationId; a "日本語 / English" summary; at least one declared tag;
 * every path parameter declared; If-Match never required and Idempotency-Key only on POSTs.
 */
function whatItLacks(method: string, route: string, op: Operation, declaredTags: Map<string, string | undefined>): string[] {
  const why: string[] = [];
  if (!op[DESCRIBED]) why.push('not described with @Operation');
  const statuses = Object.keys(op.responses);
  const success = statuses.filter((s) => s.startsWith('2'));
  if (success.length === 0) why.push('no 2xx answer');
  for (const status of success) {
    const content = op.responses[status].content;
    if (status !== '204' && !content) why.push(`${status} has no content`);
    for (const [media, { schema }] of Object.entries(content ?? {})) {
      if (media.includes('json') && !schema?.$ref) why.push(`${status} ${media} is not a named component`);
      if (!media.includes('json') && schema?.format !== 'binary') why.push(`${status} ${media} is not described as a file`);
    }
  }
  const errors = statuses.filter((s) => /^[45]/.test(s));
  if (errors.length === 0) why.push('no error answers');
  for (const status of errors) if (op.responses[status].content?.['application/problem+json']?.schema?.$ref !== '#/components/schemas/Problem') why.push(`${status} is not a Problem`);
  if (!op.operationId || !/^[a-z][A-Za-z]+$/.test(op.operationId)) why.push(`operationId ${op.operationId} is not a verb phrase`);
  if (!/[\u3040-\u30ff\u4e00-\u9fff]/.test(op.summary ?? '') || !/ \/ [A-Z]/.test(op.summary ?? '')) why.push('summary is not "日本語 / English"');
  if (!op.tags?.length) why.push('no tag');
  for (const tag of op.tags ?? []) if (!declaredTags.get(tag)) why.push(`tag ${tag} is not declared with a description`);
  const parameters = op.parameters ?? [];
  for (const [, param] of route.matchAll(/\{(\w+)\}/g)) if (!parameters.some((p) => p.in === 'path' && p.name === param)) why.push(`path parameter ${param} is not declared`);
  for (const p of parameters.filter((p) => p.in === 'header')) {
    if (p.name.toLowerCase() === 'if-match' && p.required) why.push('If-Match is marked required (the body version does the same)');
    if (p.name.toLowerCase() === 'idempotency-key' && method !== 'post') why.push(`Idempotency-Key is offered on ${method.toUpperCase()}`);
  }
  return why;
}

/**
 * The OpenAPI document is the contract: valid (the linter), complete for each operation (a 2xx answer
 * described, errors as problem+json), the one the typed client was generated from, and true (every
 * response of every e2e suite is checked against it, see test/support/api-contract.ts).
 */
describe('the API contract', () => {
  let t: TestApp;
  let document: OpenAPIObject;

  beforeAll(async () => {
    t = await startTestApp();
    document = (await t.http().get('/docs-json').expect(200)).body;
  });
  afterAll(() => t.close());

  const operations = () =>
    Object.entries(document.paths).flatMap(([route, item]) =>
      Object.entries(item as Record<string, Operation>).map(([method, op]) => ({ name: `${method.toUpperCase()} ${route}`, method, route, op })),
    );

  it('is the document the typed client was generated from (npm run api:client)', () => {
    const generated = JSON.parse(fs.readFileSync(path.join(__dirname, '../generated/openapi.json'), 'utf8'));
    expect(generated).toEqual(document);
  });

  it('passes the OpenAPI linter (Redocly, recommended rules) with no error', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsunagi-openapi-'));
    const file = path.join(dir, 'openapi.json');
    fs.writeFileSync(file, JSON.stringify(document));
    const redocly = path.join(__dirname, '../../node_modules/.bin/redocly');
    const { stdout } = await promisify(execFile)(redocly, ['lint', file, '--format=json'], { maxBuffer: 64 * 1024 * 1024 }).catch((failure: { stdout: string }) => failure);
    fs.rmSync(dir, { recursive: true, force: true });
    const problems = (JSON.parse(stdout) as { problems: { ruleId: string; severity: string; message: string; location: { pointer: string }[] }[] }).problems;
    expect(problems.filter((p) => p.severity === 'error').map((p) => `${p.ruleId}: ${p.message} at ${p.location[0]?.pointer}`)).toEqual([]);
  });

  it('documents every route the application serves, and nothing else (found by itself, no list)', () => {
    const documented = operations().map(({ method, route }) => `${method.toUpperCase()} ${route.replace(/\{(\w+)\}/g, ':$1')}`).sort();
    const served = listRoutes(t.app).filter((route) => !route.endsWith(' /metrics'));
    expect(served.length).toBeGreaterThan(100);
    expect(documented).toEqual(served);
  });

  it('describes for every operation its 2xx answer and its errors as problem+json, with a readable id, a bilingual summary, declared tags and its parameters', () => {
    const declaredTags = new Map((document.tags ?? []).map((tag) => [tag.name, tag.description]));
    const lacking = operations().flatMap(({ name, method, route, op }) => whatItLacks(method, route, op, declaredTags).map((reason) => `${name}: ${reason}`));
    expect(lacking).toEqual([]);
  });

  it('holds the operationIds unique, so each names one call of the generated client', () => {
    const ids = operations().map(({ op }) => op.operationId);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
  });

  it('catches an answer that breaks it: a body off the schema, an undocumented status or media type', () => {
    const contract = new ApiContract(document);
    const page = (body: unknown) => Buffer.from(JSON.stringify(body));
    expect(contract.check('GET', '/api/v1/referrals', 200, 'application/json', page({ items: [], next: null }))).toEqual({ operationId: 'listReferrals', violation: undefined });
    expect(contract.check('GET', '/api/v1/referrals', 200, 'application/json', page([]))?.violation).toMatch(/listReferrals answered 200: the body does not match the schema: body must be object/);
    expect(contract.check('GET', '/api/v1/referrals', 200, 'application/json', page({ items: [{ id: 'x' }], next: null }))?.violation).toMatch(/body\/items\/0 must have required property/);
    expect(contract.check('GET', '/api/v1/referrals', 418, 'application/problem+json', page({}))?.violation).toMatch(/status 418 is not documented/);
    expect(contract.check('GET', '/api/v1/referrals', 200, 'text/csv', undefined)?.violation).toMatch(/media type text\/csv is not documented/);
    expect(contract.check('GET', '/api/v1/nowhere', 200, 'application/json', page({}))).toBeUndefined();
  });

  it('answers a response that broke the contract with a 500 problem naming it, and records it', async () => {
    const contract = new ApiContract(document);
    const express = (await import('express')).default;
    const server = express()
      .use(contract.middleware)
      .get('/api/v1/workflows', (_req, res) => void res.json([{ name: 'case' }]));
    const res = await (await import('supertest')).default(server).get('/api/v1/workflows');
    expect(res.status).toBe(500);
    expect(res.body).toMatchObject({ code: 'response_contract_violation', detail: expect.stringContaining("listWorkflows answered 200: the body does not match the schema: body/0 must have required property 'id'") });
    expect(contract.violations).toHaveLength(1);
  });
});

describe('a paged list (GET /api/v1/referrals)', () => {
  let t: TestApp;
  let fixtures: Fixtures;

  beforeAll(async () => {
    t = await startTestApp();
    fixtures = new Fixtures(t);
  });
  afterAll(() => t.close());

  const inbox = (query: { limit?: number; cursor?: string; state?: 'proposed' | 'accepted'; overdue?: 'true' | 'false' } = {}) =>
    t.api('fukushi-counselor').GET('/api/v1/referrals', { params: { query: { box: 'incoming', ...query } } });
  const referToFukushi = async () => {
    const opened = await fixtures.openCase('choju-counselor');
    return (await fixtures.refer('choju-counselor', opened.id, 'tsunagi-city', 'fukushi')).id;
  };

  it('walks every row once while rows are added between the pages', async () => {
    for (let i = 0; i < 5; i++) await referToFukushi();
    // Same deadline, created later: an added referral sorts after the cursor, so it shows up on a later page.
    await expectStablePaging({ page: async (cursor) => (await inbox({ limit: 2, cursor })).data, limit: 2, insert: referToFukushi });
  });

  it('filters by state and overdue, and pages at the documented default', async () => {
    const all = await inbox();
    expect(all.data!.items.length).toBeLessThanOrEqual(PAGE_LIMIT.default);
    expect((await inbox({ state: 'accepted' })).data).toEqual({ items: [], next: null });
    expect((await inbox({ state: 'proposed' })).data!.items.length).toBe(all.data!.items.length);
    expect((await inbox({ overdue: 'true' })).data).toEqual({ items: [], next: null });
    expect((await inbox({ overdue: 'false' })).data!.items.length).toBe(all.data!.items.length);
  });

  it('refuses a forged cursor and a limit over the maximum, in Japanese and English', async () => {
    const forged = await inbox({ cursor: Buffer.from(JSON.stringify({ l: 'cases', k: [1] })).toString('base64url') });
    expect(forged.response.status).toBe(400);
    expect(forged.error?.errors).toEqual([{ field: 'query.cursor', code: 'invalid_cursor', message: 'cursor が正しくありません。前のページの next をそのまま指定してください。' }]);
    const english = await t.http().get('/api/v1/referrals?cursor=not-a-cursor').set({ Authorization: `Bearer ${await t.token('fukushi-counselor')}`, 'Accept-Language': 'en' });
    expect(english.status).toBe(400);
    expect(english.body.errors[0].message).toBe('The cursor is not valid: pass the previous page’s `next` unchanged.');
    const tooMany = await inbox({ limit: PAGE_LIMIT.max + 1 });
    expect(tooMany.response.status).toBe(400);
    expect(tooMany.error?.errors?.[0].field).toBe('query.limit');
  });
});
