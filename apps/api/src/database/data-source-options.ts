import { DataSourceOptions } from 'typeorm';
import { migrations } from '../../../../migrations';
import { entities } from './entities';

/** One definition of how we talk to PostgreSQL, shared by the app, the CLI, the seeder and the tests. */
export function dataSourceOptions(url: string, extra: Partial<DataSourceOptions> = {}): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities,
    migrations,
    migrationsRun: false,
    synchronize: false,
    extra: { max: 20, connectionTimeoutMillis: 5000 },
    ...extra,
  } as DataSourceOptions;
}
