/**
 * Where the test PostgreSQL lives. Jest's global setup starts one embedded server per `npm test` run
 * (or uses DATABASE_URL), migrates a template database once, and hands the URL to the workers through
 * the environment; every test file then clones the template into a database of its own.
 */
export const TEST_TEMPLATE_DB = 'mtink_test_template';
export const ENV_ADMIN_URL = 'MTINK_TEST_ADMIN_URL';

export function testAdminUrl(): string {
  const url = process.env[ENV_ADMIN_URL];
  if (!url)
    throw new Error(
      `${ENV_ADMIN_URL} is not set: run the specs through jest (npm test), whose global setup starts PostgreSQL`,
    );
  return url;
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}
