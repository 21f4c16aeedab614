import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One import history for every file of the one intake (SPEC §3 `GET /api/imports`): `upload_log` gets
 * what kind of file each was (`orders`, `spotify`, `rates`), the platform of an order export, what the
 * intake recognised it as, and the orders it left as they were. Earlier rows get their kind from their type.
 */
export class ImportHistory1799000000000 implements MigrationInterface {
  name = 'ImportHistory1799000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE upload_log
        ADD COLUMN kind text CHECK (kind IN ('orders', 'spotify', 'rates')),
        ADD COLUMN platform text,
        ADD COLUMN recognised text,
        ADD COLUMN skipped integer NOT NULL DEFAULT 0`);
    await q.query(`
      UPDATE upload_log
         SET kind = CASE WHEN type LIKE 'spotify-%' THEN 'spotify' WHEN type IN ('fx-rates', 'ecb-rates') THEN 'rates' END
       WHERE type IS NOT NULL`);
    await q.query(`CREATE INDEX upload_log_uploaded_at ON upload_log (uploaded_at DESC, id DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX upload_log_uploaded_at`);
    await q.query(`
      ALTER TABLE upload_log DROP COLUMN kind, DROP COLUMN platform, DROP COLUMN recognised, DROP COLUMN skipped`);
  }
}
