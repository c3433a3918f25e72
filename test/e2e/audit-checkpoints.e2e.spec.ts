import { spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CompactSign, compactVerify, generateKeyPair, importJWK } from 'jose';
import { tenantId } from '../../seeds/demo-data';
import { AuditSigner } from '../../src/modules/audit/audit-signer';
import { ChainVerifications } from '../../src/modules/audit/chain-verifications';
import { AuditCheckpoints } from '../../src/modules/audit/checkpoints/audit-checkpoints';
import { CheckpointStore, type SignedCheckpoint } from '../../src/modules/audit/checkpoints/checkpoint-store';
import { FileCheckpointSink } from '../../src/modules/audit/checkpoints/file-checkpoint-sink';
import { rewriteAuditLog, sealAuditLog } from '../support/audit-tampering';
import { bearer, startTestApp, type TestApp } from '../support/test-app';

const CITY = tenantId('tsunagi-city');
const ROOT = path.resolve(__dirname, '../..');

/** The city's checkpoints as the sink file holds them, oldest first. */
function cityCheckpoints(file: string): SignedCheckpoint[] {
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as SignedCheckpoint)
    .filter((c) => c.tid === CITY);
}

/** What a test needs around one app: appending entries, the city's log head, checkpoints, verification. */
function around(app: () => TestApp) {
  const t = () => app();
  return {
    /** A forbidden call is audited: an easy way to append entries from outside. */
    async append(n: number) {
      const counselor = await t().token('choju-counselor');
      for (let i = 0; i < n; i++) await t().http().get('/api/v1/staff').set(bearer(counselor)).expect(403);
    },
    /** The head of the chain once every row committed so far is sealed into it. */
    async head() {
      await sealAuditLog(t());
      const [row] = await t().sql<{ seq: string; hash: string }>(`select seq, hash from audit_log where tenant_id = $1 and seq is not null order by seq desc limit 1`, [CITY]);
      return { seq: Number(row.seq), hash: row.hash };
    },
    checkpoints: () => cityCheckpoints(t().config.auditCheckpoints.file),
    last: () => cityCheckpoints(t().config.auditCheckpoints.file).at(-1)!,
    tick: (now?: Date) => t().app.get(AuditCheckpoints).tick(now),
    async verify() {
      return (await t().http().get('/api/v1/audit/verify').set(bearer(await t().token('auditor'))).expect(200)).body;
    },
  };
}

describe('audit checkpoints, taken by themselves', () => {
  let t: TestApp;
  const a = around(() => t);
  beforeAll(async () => {
    t = await startTestApp({ AUDIT_CHECKPOINT_EVERY_ENTRIES: '5', AUDIT_CHECKPOINT_EVERY_SECONDS: '600' });
  });
  afterAll(() => t.close());

  it('takes the first at the first look, then one every 5 entries, each naming the head it pins', async () => {
    await a.tick();
    expect(a.checkpoints()).toEqual([]); // an empty log has nothing to pin
    await a.append(2);
    await a.tick();
    const first = a.last();
    const head = await a.head();
    expect(first).toMatchObject({ tid: CITY, seq: head.seq, count: head.seq, hash: head.hash, trigger: 'time' });

    await a.append(4);
    expect((await a.head()).seq).toBe(first.seq + 4);
    await a.tick();
    expect(a.checkpoints()).toHaveLength(1);

    await a.append(1);
    await a.tick();
    const second = a.last();
    expect(second).toMatchObject({ seq: first.seq + 5, count: first.seq + 5, hash: (await a.head()).hash, trigger: 'count' });
  });

  it('takes one once the interval has passed with new entries, by the clock it is given', async () => {
    const last = a.last();
    const at = (seconds: number) => new Date(Date.parse(last.at) + seconds * 1000);
    await a.tick(at(3600));
    expect(a.last()).toEqual(last); // nothing new since: nothing to pin

    await a.append(1);
    await a.tick(at(599));
    expect(a.last()).toEqual(last);
    await a.tick(at(600));
    expect(a.last()).toMatchObject({ seq: last.seq + 1, trigger: 'time', at: at(600).toISOString() });
  });

  it('keeps an auditor’s checkpoint in the sink too', async () => {
    const made = await t.http().post('/api/v1/audit/checkpoints').set(bearer(await t.token('auditor'))).expect(201);
    expect(a.last()).toEqual({ ...made.body, trigger: 'manual' });
  });

  it('signs every line over exactly what it says, with the key auditors can fetch', async () => {
    const jwk = (await t.http().get('/api/v1/audit/checkpoints/public-key').set(bearer(await t.token('auditor'))).expect(200)).body;
    const key = await importJWK(jwk, 'ES256');
    for (const { checkpoint, ...fields } of a.checkpoints()) {
      const { payload, protectedHeader } = await compactVerify(checkpoint, key);
      expect(protectedHeader.typ).toBe('tsunagi-audit-checkpoint');
      expect(JSON.parse(new TextDecoder().decode(payload))).toEqual(fields);
    }
  });

  it('verification names the checkpoint it held the log against', async () => {
    const last = a.last();
    expect(await a.verify()).toMatchObject({ ok: true, brokenAtSeq: null, reason: null, checkpoint: { seq: last.seq, at: last.at }, badCheckpointLines: 0 });
  });

  describe('a checkpoint line changed in the sink', () => {
    let kept: Buffer;
    beforeEach(() => {
      kept = fs.readFileSync(t.config.auditCheckpoints.file);
    });
    afterEach(() => fs.writeFileSync(t.config.auditCheckpoints.file, kept));

    const rewriteLast = (change: (c: SignedCheckpoint) => SignedCheckpoint) => {
      const lines = kept.toString('utf8').trimEnd().split('\n');
      lines[lines.length - 1] = JSON.stringify(change(JSON.parse(lines[lines.length - 1])));
      fs.writeFileSync(t.config.auditCheckpoints.file, `${lines.join('\n')}\n`);
    };

    it.each([
      ['a field no longer what was signed', (c: SignedCheckpoint) => ({ ...c, hash: 'f'.repeat(64) })],
      ['a signature cut short', (c: SignedCheckpoint) => ({ ...c, checkpoint: c.checkpoint.slice(0, -4) })],
    ])('is caught: %s', async (_name, change) => {
      const [before, last] = a.checkpoints().slice(-2);
      expect(last.tid).toBe(CITY);
      rewriteLast(change);
      expect(await a.verify()).toMatchObject({ ok: false, reason: 'bad_checkpoint', badCheckpointLines: 1, checkpoint: { seq: before.seq } });
    });

    it('is caught when signed with another key', async () => {
      const { privateKey } = await generateKeyPair('ES256');
      const { checkpoint: _ours, ...fields } = a.last();
      const theirs = await new CompactSign(new TextEncoder().encode(JSON.stringify(fields))).setProtectedHeader({ alg: 'ES256', typ: 'tsunagi-audit-checkpoint' }).sign(privateKey);
      rewriteLast(() => ({ ...fields, checkpoint: theirs }));
      expect(await a.verify()).toMatchObject({ ok: false, reason: 'bad_checkpoint', badCheckpointLines: 1 });
    });
  });

  it('cannot be written, nor its signing key read, by the database login, even as superuser', async () => {
    const file = t.config.auditCheckpoints.file;
    const keyFile = path.join(t.config.dataDir, 'audit-signing', 'private.jwk.json');
    expect(fs.existsSync(keyFile)).toBe(true);
    const kept = fs.readFileSync(file);
    await expect(t.sql(`copy (select 'forged') to '${file}'`)).rejects.toThrow(/permission denied/i);
    await expect(t.sql(`select pg_read_file('${keyFile}')`)).rejects.toThrow(/permission denied/i);
    await t.sql('begin');
    await t.sql('set local role tsunagi_app');
    await expect(t.sql(`copy (select 'forged') to '${file}'`)).rejects.toThrow(/permission denied|must be superuser|pg_write_server_files/i);
    await t.sql('rollback');
    expect(fs.readFileSync(file)).toEqual(kept);
    expect(fs.statSync(file).mode & 0o077).toBe(0);
  });

  it('takes whole lines from several processes appending at once', async () => {
    const file = path.join(t.config.dataDir, 'shared-checkpoints.jsonl');
    const tenants = ['7d1c5e0a-0000-4000-8000-000000000001', '7d1c5e0a-0000-4000-8000-000000000002', '7d1c5e0a-0000-4000-8000-000000000003'];
    const n = 150;
    const others = tenants.slice(1).map((tenant) => spawn(process.execPath, ['--import', 'tsx', 'test/support/append-checkpoints.ts', t.config.dataDir, file, tenant, String(n)], { cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'] }));
    const exited = others.map((child) => new Promise<number | null>((resolve) => child.once('exit', resolve)));
    await Promise.all(others.map((child) => once(child.stdout!, 'data')));
    const store = new CheckpointStore(t.app.get(AuditSigner), new FileCheckpointSink(file));
    const here = async () => {
      for (let seq = 1; seq <= n; seq++) await store.write({ tid: tenants[0], seq, hash: 'a'.repeat(64), count: seq, at: new Date().toISOString(), trigger: 'count' });
    };
    for (const child of others) child.stdin!.write('go\n');
    await here();
    expect(await Promise.all(exited)).toEqual([0, 0]);

    const order = fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((line) => (JSON.parse(line) as SignedCheckpoint).tid);
    expect(order).toHaveLength(3 * n);
    expect(order.filter((tid, i) => i > 0 && tid !== order[i - 1]).length).toBeGreaterThan(2); // they did write at the same time
    for (const tenant of tenants) {
      const seen: (number | null)[] = [];
      for await (const checkpoint of store.walk(tenant)) seen.push(checkpoint?.seq ?? null);
      expect(seen).toEqual(Array.from({ length: n }, (_, i) => n - i));
    }
  });
});

describe('audit checkpoints on a short interval', () => {
  let t: TestApp;
  const a = around(() => t);
  beforeAll(async () => {
    t = await startTestApp({ AUDIT_CHECKPOINT_POLL_MS: '20', AUDIT_CHECKPOINT_EVERY_ENTRIES: '3', AUDIT_CHECKPOINT_EVERY_SECONDS: '3600' });
  });
  afterAll(() => t.close());

  async function until(condition: () => boolean) {
    for (let i = 0; i < 500 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 20));
    return condition();
  }

  it('are taken without anyone asking, by count', async () => {
    await a.append(1);
    expect(await until(() => a.checkpoints().length > 0)).toBe(true);
    const first = a.last();
    await a.append(3);
    expect(await until(() => a.checkpoints().some((c) => c.trigger === 'count'))).toBe(true);
    expect(a.last().seq).toBeGreaterThanOrEqual(first.seq + 3);
  });
});

describe('audit checkpoints at shutdown', () => {
  it('pins what was written since the last one', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsunagi-checkpoints-'));
    const file = path.join(dir, 'checkpoints.jsonl');
    const t = await startTestApp({ AUDIT_CHECKPOINT_FILE: file });
    const a = around(() => t);
    try {
      await a.tick();
      await a.append(2);
      const head = await a.head();
      await t.close();
      expect(cityCheckpoints(file).at(-1)).toMatchObject({ seq: head.seq, hash: head.hash, trigger: 'shutdown' });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

/**
 * Each rewrite below leaves a chain that verifies on its own (every hash and link recomputed, the chain
 * head reset), which is how it passed before checkpoints. `a` and `b` are the two checkpoints' positions;
 * the rows' sequence numbers are spread ten apart while the change runs (see rewriteAuditLog).
 */
describe.each<[string, (a: number, b: number) => string[], (a: number) => { reason: string; brokenAtSeq: number }]>([
  ['an edited entry', (a) => [`update audit_log set detail = '{"forged": true}' where tenant_id = $1 and seq = ${10 * (a + 2)}`], (a) => ({ reason: 'rewritten', brokenAtSeq: a + 1 })],
  ['a deleted entry', (a) => [`delete from audit_log where tenant_id = $1 and seq = ${10 * (a + 2)}`], (a) => ({ reason: 'rewritten', brokenAtSeq: a + 1 })],
  ['two entries swapped', (a) => [`update audit_log set seq = ${10 * (a + 3) + 5} where tenant_id = $1 and seq = ${10 * (a + 2)}`], (a) => ({ reason: 'rewritten', brokenAtSeq: a + 1 })],
  [
    'an inserted entry',
    (a) => [
      `create temp table forged on commit drop as select * from audit_log where tenant_id = $1 and seq = ${10 * (a + 2)}`,
      `update forged set seq = seq + 5, id = nextval('audit_log_id_seq'), detail = '{"forged": true}'`,
      `insert into audit_log select * from forged`,
    ],
    (a) => ({ reason: 'rewritten', brokenAtSeq: a + 1 }),
  ],
  ['the tail cut off', (a) => [`delete from audit_log where tenant_id = $1 and seq > ${10 * (a + 2)}`], (a) => ({ reason: 'truncated', brokenAtSeq: a + 3 })],
  [
    'the tail cut off and a new one written past the checkpoint',
    (a, b) => [
      `delete from audit_log where tenant_id = $1 and seq > ${10 * (a + 2)}`,
      `create temp table forged on commit drop as select * from audit_log where tenant_id = $1 and seq <= ${10 * b}`,
      `update forged set seq = seq + 1000000, id = nextval('audit_log_id_seq')`,
      `insert into audit_log select * from forged`,
    ],
    (a) => ({ reason: 'rewritten', brokenAtSeq: a + 1 }),
  ],
  ['the whole chain re-hashed after an entry older than every checkpoint', () => [`update audit_log set action = 'staff.list' where tenant_id = $1 and seq = 20`], () => ({ reason: 'rewritten', brokenAtSeq: 1 })],
])('a log rewritten behind its checkpoints: %s', (_name, changes, expected) => {
  let t: TestApp;
  const a = around(() => t);
  let first: SignedCheckpoint;
  let second: SignedCheckpoint;

  beforeAll(async () => {
    t = await startTestApp({ AUDIT_CHECKPOINT_EVERY_ENTRIES: '5' });
    await a.append(3);
    await a.tick();
    first = a.last();
    await a.append(6);
    await a.tick();
    second = a.last();
    await a.append(3);
  });
  afterAll(() => t.close());

  /** The chain on its own, as `/audit/verify` judged it before there were checkpoints. */
  async function chainAlone() {
    await t.sql('begin');
    await t.sql(`select set_config('app.tenant_id', $1, true)`, [CITY]);
    const [row] = await t.sql<{ ok: boolean }>('select * from audit_verify()');
    await t.sql('commit');
    return row.ok;
  }

  it('is found by /audit/verify, though the chain alone verifies', async () => {
    expect(second).toMatchObject({ trigger: 'count', seq: first.seq + 6 });
    expect(await a.verify()).toMatchObject({ ok: true });
    await rewriteAuditLog(t, CITY, changes(first.seq, second.seq));
    expect(await chainAlone()).toBe(true);
    expect(await a.verify()).toMatchObject({ ok: false, ...expected(first.seq), checkpoint: { seq: second.seq } });
  });
});

describe('after a rewrite behind the checkpoints', () => {
  let t: TestApp;
  const a = around(() => t);
  let auditor: Record<string, string>;
  let kept: number;

  beforeAll(async () => {
    t = await startTestApp({ AUDIT_CHECKPOINT_EVERY_ENTRIES: '5' });
    auditor = bearer(await t.token('auditor'));
    await a.append(3);
    await a.tick();
    await a.append(6);
    await a.tick();
    kept = a.checkpoints().length;
    await rewriteAuditLog(t, CITY, [`update audit_log set action = 'staff.list' where tenant_id = $1 and seq = 30`]);
  });
  afterAll(() => t.close());

  it('no checkpoint is signed over the rewritten log, automatic or asked for', async () => {
    await a.append(6);
    await a.tick(new Date(Date.now() + 86_400_000));
    expect(a.checkpoints()).toHaveLength(kept);
    const refused = await t.http().post('/api/v1/audit/checkpoints').set(auditor).set('Accept-Language', 'en').expect(409);
    expect(refused.body).toMatchObject({ brokenAtSeq: expect.any(Number), reason: 'rewritten' });
    expect(refused.body.detail).toMatch(/no longer matches its last checkpoint/);
    expect(a.checkpoints()).toHaveLength(kept);
  });

  it('the verification job over the whole log reports it too', async () => {
    const started = await t.http().post('/api/v1/audit/verifications').set(auditor).send({}).expect(202);
    await t.app.get(ChainVerifications).idle();
    const done = (await t.http().get(`/api/v1/audit/verifications/${started.body.id}`).set(auditor).expect(200)).body;
    expect(done).toMatchObject({ state: 'broken', reason: 'rewritten', brokenAtSeq: 1 });
  });
});
