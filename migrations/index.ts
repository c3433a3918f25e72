import { Migration20261123000000_foundation } from './Migration20261123000000_foundation';

/** Every migration in order. Listed explicitly so they load the same way under Node, tsx and Jest. */
export const migrationsList = [Migration20261123000000_foundation];
