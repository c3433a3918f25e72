import type { AppConfig } from '../config/config';
import { TenantWorkQueue } from './tenant-work-queue';

/** A task that runs until told to finish, recording when it started. */
function gate(log: string[], name: string) {
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  return { task: () => (log.push(name), done.then(() => name)), finish };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));
const config = { requestConcurrency: { total: 2, perTenant: 2 } } as AppConfig;

describe('TenantWorkQueue', () => {
  it('runs the work a lone tenant caused beside its requests, every slot being its', async () => {
    const log: string[] = [];
    const queue = new TenantWorkQueue(config);
    const requests = [gate(log, 'request-1'), gate(log, 'request-2')];
    const runs = requests.map((g) => queue.request('city', g.task));
    const caused = gate(log, 'evaluation');
    runs.push(queue.caused('city', caused.task));
    await settle();
    // All three run at once, though two slots are all there are.
    expect([...log].sort()).toEqual(['evaluation', 'request-1', 'request-2']);
    [...requests, caused].forEach((g) => g.finish());
    await Promise.all(runs);
  });

  it('runs the work of a tenant within its share beside its requests, while another tenant is active', async () => {
    const log: string[] = [];
    const queue = new TenantWorkQueue(config);
    const town = gate(log, 'town-request');
    const city = gate(log, 'city-request');
    const runs = [queue.request('town', town.task), queue.request('city', city.task)];
    await settle();
    const caused = gate(log, 'town-evaluation');
    runs.push(queue.caused('town', caused.task));
    await settle();
    expect([...log].sort()).toEqual(['city-request', 'town-evaluation', 'town-request']);
    [town, city, caused].forEach((g) => g.finish());
    await Promise.all(runs);
  });

  it('takes a slot of the share of a tenant whose requests wait while another tenant is active', async () => {
    const log: string[] = [];
    const queue = new TenantWorkQueue(config);
    const town = gate(log, 'town-request');
    const city = [gate(log, 'city-request-1'), gate(log, 'city-request-2')];
    const runs = [queue.request('town', town.task), ...city.map((g) => queue.request('city', g.task))];
    await settle();
    expect(log).toEqual(['town-request', 'city-request-1']);
    const caused = gate(log, 'city-evaluation');
    runs.push(queue.caused('city', caused.task));
    city[0].finish();
    await settle();
    // The city's freed slot goes to what its writes caused, before its waiting request.
    expect(log.slice(2)).toEqual(['city-evaluation']);
    [town, ...city, caused].forEach((g) => g.finish());
    await Promise.all(runs);
  });
});
