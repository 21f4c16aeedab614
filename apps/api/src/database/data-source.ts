import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source-options';

/** For the TypeORM CLI only (scripts/typeorm.ts sets DATABASE_URL). */
const url = process.env.DATABASE_URL;
if (!url) throw new Error('DATABASE_URL must be set for the TypeORM CLI (use npm run migration:*)');

export default new DataSource(dataSourceOptions(url));
