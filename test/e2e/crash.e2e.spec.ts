import { ServiceHome, type ServiceProcess } from '../support/service-process';
import { auditChainOk, lostOrDoubled, WriteLoad } from '../support/write-load';

/** Crashes per test: 1 in `npm test`; CRASH_ROUNDS=5 for a deeper run. */
const ROUNDS = Number(process.env.CRASH_ROUNDS ?? 1);
/** Requests acknowledged between two crashes. */
const BETWEEN_CRASHES = 12;
const WORKERS = 3;
const TIMEOUT_MS = 100_000 + ROUNDS * 60_000;

/**
 * The real service in a child process under write load with Idempotency-Keys, killed with kill -9 as
 * the OOM killer or a power cut would, and started again by the ordinary command; clients retry every
 * unanswered request with its key. Nothing acknowledged is lost, nothing is written twice, no key is
 * left pending, and the audit chain verifies.
 */
describe('crashes under load', () => {
  const homes: ServiceHome[] = [];
  afterAll(async () => {
    for (const home of homes) await home.close();
  });

  const expectIntact = async (home: ServiceHome, load: WriteLoad, service: ServiceProcess) => {
    expect(load.odd).toEqual([]);
    expect(await lostOrDoubled(home, load)).toEqual([]);
    expect(await auditChainOk(home, service)).toMatchObject({ ok: true, brokenAtSeq: null });
  };

  it(
    'kill -9 of the service: the next start serves every retry once',
    async () => {
      const home = new ServiceHome();
      homes.push(home);
      let service = await home.start();
      const load = new WriteLoad(home, [service]);
      load.start(WORKERS);
      for (let round = 0; round < ROUNDS; round++) {
        await load.acknowledgedMore(BETWEEN_CRASHES);
        await home.kill(service);
        service = await home.start();
        load.targets = [service];
      }
      await load.acknowledgedMore(BETWEEN_CRASHES);
      await load.stop();
      await expectIntact(home, load, service);
    },
    TIMEOUT_MS,
  );

  it(
    'kill -9 of its embedded PostgreSQL: the service starts it again, answers 503 meanwhile (never 500) and carries on without a restart',
    async () => {
      const home = new ServiceHome({ embedded: true });
      homes.push(home);
      const service = await home.start();
      const load = new WriteLoad(home, [service]);
      load.start(WORKERS);
      for (let round = 0; round < ROUNDS; round++) {
        await load.acknowledgedMore(BETWEEN_CRASHES);
        const killed = home.postmasterPid();
        process.kill(killed, 'SIGKILL');
        await load.acknowledgedMore(BETWEEN_CRASHES);
        expect(home.postmasterPid()).not.toBe(killed);
      }
      await load.stop();
      expect(service.child.exitCode).toBeNull();
      expect(service.output()).toMatch(/ended by itself \(SIGKILL\): starting it again/);
      await expectIntact(home, load, service);
    },
    TIMEOUT_MS,
  );
});
