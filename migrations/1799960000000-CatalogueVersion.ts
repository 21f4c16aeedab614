import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `catalogue_version`: one number that every change of what a title's head shows (its name, its
 * editions, their identifiers and Spotify keys) moves on, in the changing transaction, so that the API
 * can keep the heads it read until the number moves (no timer). Statement triggers on the four tables
 * bump it when a statement changed a row (an INSERT … ON CONFLICT DO NOTHING that inserted none does not:
 * the order ingest runs those for every order, and they must not queue on this one row), and on TRUNCATE.
 */
const TABLES = ['titles', 'editions', 'edition_identifiers', 'spotify_title_editions'];

export class CatalogueVersion1799960000000 implements MigrationInterface {
  name = 'CatalogueVersion1799960000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE catalogue_version (
        id boolean PRIMARY KEY DEFAULT true CHECK (id),
        version bigint NOT NULL
      )`);
    await q.query(`INSERT INTO catalogue_version (id, version) VALUES (true, 1)`);
    await q.query(`
      CREATE FUNCTION catalogue_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        -- A statement reaches only the transition table its event has.
        IF TG_OP = 'INSERT' THEN
          IF NOT EXISTS (SELECT 1 FROM new_rows) THEN RETURN NULL; END IF;
        ELSIF TG_OP <> 'TRUNCATE' THEN
          IF NOT EXISTS (SELECT 1 FROM old_rows) THEN RETURN NULL; END IF;
        END IF;
        UPDATE catalogue_version SET version = version + 1;
        RETURN NULL;
      END $$`);
    for (const table of TABLES) {
      // Transition tables need a trigger per event.
      await q.query(`
        CREATE TRIGGER ${table}_version_insert AFTER INSERT ON ${table} REFERENCING NEW TABLE AS new_rows
          FOR EACH STATEMENT EXECUTE FUNCTION catalogue_version_bump()`);
      await q.query(`
        CREATE TRIGGER ${table}_version_update AFTER UPDATE ON ${table} REFERENCING OLD TABLE AS old_rows
          FOR EACH STATEMENT EXECUTE FUNCTION catalogue_version_bump()`);
      await q.query(`
        CREATE TRIGGER ${table}_version_delete AFTER DELETE ON ${table} REFERENCING OLD TABLE AS old_rows
          FOR EACH STATEMENT EXECUTE FUNCTION catalogue_version_bump()`);
      await q.query(`
        CREATE TRIGGER ${table}_version_truncate AFTER TRUNCATE ON ${table}
          FOR EACH STATEMENT EXECUTE FUNCTION catalogue_version_bump()`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of TABLES)
      for (const op of ['insert', 'update', 'delete', 'truncate'])
        await q.query(`DROP TRIGGER ${table}_version_${op} ON ${table}`);
    await q.query(`DROP FUNCTION catalogue_version_bump()`);
    await q.query(`DROP TABLE catalogue_version`);
  }
}
