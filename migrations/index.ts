import { InitialSchema1764180000000 } from './1764180000000-InitialSchema';

/**
 * Every migration, oldest first. `npm run migration:generate` writes a new file here; add its class to
 * this list so that the API, the tests and the CLI run the same migrations.
 */
export const migrations = [InitialSchema1764180000000];
