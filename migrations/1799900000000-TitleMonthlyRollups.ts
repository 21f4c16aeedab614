import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Monthly title rollups, so that a range of a year reads a dozen months per title and key, not 365 days
 * (SPEC §9: the titles endpoints under 20 ms at a million orders).
 *
 * `title_monthly_totals` (month, title, platform) and `title_monthly_countries` (month, title, country)
 * hold the sums of the daily title rollups' rows of each local month (`month` is its first day). They are
 * not fed from the lines: a trigger on each daily table sums the (month, title) pairs that a statement
 * touched again from that table, in the same statement, so a month is always exactly its days, whatever
 * wrote them (a fold, a rebuild after a merge or split, a bulk load, a rebuild in another zone), and a
 * month is stale exactly when one of its days is (readers then take that month's days instead).
 * TRUNCATE of a daily table empties its monthly one.
 */
const MONTHLY: Array<[daily: string, monthly: string, key: string]> = [
  ['title_daily_totals', 'title_monthly_totals', 'platform'],
  ['title_daily_countries', 'title_monthly_countries', 'country'],
];

export class TitleMonthlyRollups1799900000000 implements MigrationInterface {
  name = 'TitleMonthlyRollups1799900000000';

  async up(q: QueryRunner): Promise<void> {
    for (const [daily, monthly, key] of MONTHLY) {
      await q.query(`
        CREATE TABLE ${monthly} (
          month date NOT NULL CHECK (extract(day FROM month) = 1),
          title_id bigint NOT NULL,
          ${key} text NOT NULL,
          orders integer NOT NULL,
          units integer NOT NULL,
          sales numeric(16, 2) NOT NULL,
          refunds_by_refund_date numeric(16, 2) NOT NULL,
          refunds_by_order_date numeric(16, 2) NOT NULL,
          PRIMARY KEY (month, title_id, ${key})
        )`);
      await q.query(`CREATE INDEX ${monthly}_title_month ON ${monthly} (title_id, month)`);
      await q.query(`
        CREATE FUNCTION ${monthly}_follow() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE
          months date[];
          title_ids bigint[];
        BEGIN
          IF TG_OP = 'TRUNCATE' THEN
            DELETE FROM ${monthly};
            RETURN NULL;
          END IF;
          -- A statement reaches only the transition tables its event has.
          IF TG_OP = 'INSERT' THEN
            SELECT array_agg(month), array_agg(title_id) INTO months, title_ids
            FROM (SELECT DISTINCT date_trunc('month', day)::date AS month, title_id FROM new_rows) t;
          ELSIF TG_OP = 'DELETE' THEN
            SELECT array_agg(month), array_agg(title_id) INTO months, title_ids
            FROM (SELECT DISTINCT date_trunc('month', day)::date AS month, title_id FROM old_rows) t;
          ELSE
            SELECT array_agg(month), array_agg(title_id) INTO months, title_ids
            FROM (SELECT date_trunc('month', day)::date AS month, title_id FROM new_rows
                  UNION SELECT date_trunc('month', day)::date, title_id FROM old_rows) t;
          END IF;
          IF months IS NULL THEN
            RETURN NULL;
          END IF;
          DELETE FROM ${monthly} m USING unnest(months, title_ids) AS t (month, title_id)
          WHERE m.month = t.month AND m.title_id = t.title_id;
          INSERT INTO ${monthly} (month, title_id, ${key}, orders, units, sales, refunds_by_refund_date, refunds_by_order_date)
          SELECT t.month, d.title_id, d.${key}, sum(d.orders), sum(d.units), sum(d.sales), sum(d.refunds_by_refund_date),
            sum(d.refunds_by_order_date)
          FROM unnest(months, title_ids) AS t (month, title_id)
          JOIN ${daily} d ON d.title_id = t.title_id AND d.day >= t.month AND d.day < (t.month + interval '1 month')::date
          GROUP BY t.month, d.title_id, d.${key};
          RETURN NULL;
        END $$`);
      // Transition tables need a trigger per event.
      await q.query(`
        CREATE TRIGGER ${monthly}_insert AFTER INSERT ON ${daily} REFERENCING NEW TABLE AS new_rows
          FOR EACH STATEMENT EXECUTE FUNCTION ${monthly}_follow()`);
      await q.query(`
        CREATE TRIGGER ${monthly}_update AFTER UPDATE ON ${daily} REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
          FOR EACH STATEMENT EXECUTE FUNCTION ${monthly}_follow()`);
      await q.query(`
        CREATE TRIGGER ${monthly}_delete AFTER DELETE ON ${daily} REFERENCING OLD TABLE AS old_rows
          FOR EACH STATEMENT EXECUTE FUNCTION ${monthly}_follow()`);
      await q.query(`
        CREATE TRIGGER ${monthly}_truncate AFTER TRUNCATE ON ${daily}
          FOR EACH STATEMENT EXECUTE FUNCTION ${monthly}_follow()`);
      // What the daily rollups hold now.
      await q.query(`
        INSERT INTO ${monthly} (month, title_id, ${key}, orders, units, sales, refunds_by_refund_date, refunds_by_order_date)
        SELECT date_trunc('month', day)::date, title_id, ${key}, sum(orders), sum(units), sum(sales), sum(refunds_by_refund_date),
          sum(refunds_by_order_date)
        FROM ${daily} GROUP BY 1, 2, 3`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const [daily, monthly] of MONTHLY) {
      for (const op of ['insert', 'update', 'delete', 'truncate'])
        await q.query(`DROP TRIGGER ${monthly}_${op} ON ${daily}`);
      await q.query(`DROP FUNCTION ${monthly}_follow()`);
      await q.query(`DROP TABLE ${monthly}`);
    }
  }
}
