import 'reflect-metadata';
import { loadConfig } from '../../src/config/config';
import { AuditSigner } from '../../src/modules/audit/audit-signer';
import { CheckpointStore } from '../../src/modules/audit/checkpoints/checkpoint-store';
import { FileCheckpointSink } from '../../src/modules/audit/checkpoints/file-checkpoint-sink';

/**
 * Run as a process of its own by the checkpoint tests, as another instance of the service sharing the
 * sink: says `ready` once its key is loaded, waits for a line on stdin, then appends `count` signed
 * checkpoints for `tenant` to `file`.
 * Usage: node --import tsx test/support/append-checkpoints.ts <dataDir> <file> <tenant> <count>
 */
async function main(): Promise<void> {
  const [dataDir, file, tenant, count] = process.argv.slice(2);
  const signer = new AuditSigner(loadConfig({ DATA_DIR: dataDir }));
  await signer.publicKey();
  const store = new CheckpointStore(signer, new FileCheckpointSink(file));
  process.stdout.write('ready\n');
  await new Promise((resolve) => process.stdin.once('data', resolve));
  for (let seq = 1; seq <= Number(count); seq++) {
    await store.write({ tid: tenant, seq, hash: String(seq % 10).repeat(64), count: seq, at: new Date().toISOString(), trigger: 'count' });
  }
  process.stdin.destroy();
}

void main();
