import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Exports list every order of a range (test and cancelled ones too) in creation order. Without an index
 * over all orders by time, PostgreSQL would sort the whole range before sending the first row; with it,
 * the export cursor streams from the first row on in constant memory.
 */
export class OrderExportIndex1795723985735 implements MigrationInterface {
  name = 'OrderExportIndex1795723985735';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX orders_created_at_id ON orders (created_at, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX orders_created_at_id`);
  }
}
