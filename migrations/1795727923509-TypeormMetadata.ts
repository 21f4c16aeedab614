import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * TypeORM reads `typeorm_metadata` whenever a table has a generated column (orders.counted), and only
 * creates it itself for entities that declare one. Without it `npm run migration:generate` stops with
 * "relation typeorm_metadata does not exist". Same layout as TypeORM's own.
 */
export class TypeormMetadata1795727923509 implements MigrationInterface {
  name = 'TypeormMetadata1795727923509';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE IF NOT EXISTS typeorm_metadata (
        type varchar NOT NULL,
        database varchar,
        schema varchar,
        "table" varchar,
        name varchar,
        value text
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS typeorm_metadata`);
  }
}
