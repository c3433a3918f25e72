import { heapLimitArgs } from './heap-limit';

/**
 * Imported by main.ts before anything large is loaded: a heap limit can only be given when node starts,
 * so a service started without one (`npm start`, `node dist/src/main.js` from systemd, the tests)
 * replaces itself with the same command plus the flag — same pid, stdio and environment; nothing has
 * run yet that a restart would lose. Where node cannot (no `process.execve`: Windows), it runs on unbounded.
 */
const args = heapLimitArgs(process.execArgv, process.env);
if (args.length > 0 && process.execve) process.execve(process.execPath, [process.execPath, ...process.execArgv, ...args, ...process.argv.slice(1)], process.env);
