import type { Logger } from 'pino';

/**
 * An error outside any request (a timer, a promise nobody awaited) is logged and the service keeps
 * serving: one stray failure must not stop case work for a whole municipality. Requests have their
 * own net (the problem filter); this is the one for everything else.
 */
export function keepServingOnStrayErrors(logger: Logger, target: NodeJS.Process = process): void {
  target.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled promise rejection; the service keeps running'));
  target.on('uncaughtException', (error) => logger.error({ err: error }, 'uncaught exception; the service keeps running'));
}
