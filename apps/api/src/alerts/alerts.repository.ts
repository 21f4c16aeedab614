import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { AlertDelivery } from '@mt/contracts';
import { AlertEventEntity } from './alert-event.entity';
import { AlertRuleEntity } from './alert-rule.entity';

export type AlertRuleFields = Pick<
  AlertRuleEntity,
  'kind' | 'name' | 'enabled' | 'threshold' | 'hours' | 'activeFrom' | 'activeTo' | 'sendAt'
>;

/** An event with the rule's kind and name, for listing. */
export interface AlertEventRow extends AlertEventEntity {
  kind: AlertRuleEntity['kind'];
  ruleName: string;
}

/** A failed send is retried on the next runs, this many times in all, within a day of firing. */
export const MAX_DELIVERY_ATTEMPTS = 3;

/** Owns the alert tables: the rules, and the events that fired with their delivery. */
@Injectable()
export class AlertsRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(AlertRuleEntity) private readonly rules: Repository<AlertRuleEntity>,
  ) {}

  listRules(): Promise<AlertRuleEntity[]> {
    return this.rules.find({ order: { id: 'ASC' } });
  }

  enabledRules(): Promise<AlertRuleEntity[]> {
    return this.rules.find({ where: { enabled: true }, order: { id: 'ASC' } });
  }

  findRule(id: number): Promise<AlertRuleEntity | null> {
    return this.rules.findOneBy({ id: String(id) });
  }

  createRule(fields: AlertRuleFields): Promise<AlertRuleEntity> {
    return this.rules.save(this.rules.create(fields));
  }

  async updateRule(id: number, fields: AlertRuleFields): Promise<AlertRuleEntity | null> {
    const result = await this.rules.update({ id: String(id) }, { ...fields, updatedAt: () => 'now()' } as never);
    return result.affected ? this.findRule(id) : null;
  }

  async deleteRule(id: number): Promise<boolean> {
    const result = await this.rules.delete({ id: String(id) });
    return !!result.affected;
  }

  async hasFired(ruleId: string, periodKey: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `SELECT 1 FROM alert_events WHERE rule_id = $1 AND period_key = $2`,
      [ruleId, periodKey],
    );
    return rows.length > 0;
  }

  /**
   * Records that a rule fired for a period; null when it already had (the unique key decides, so this
   * holds across instances and retries).
   */
  async claim(ruleId: string, periodKey: string, subject: string, body: string, firedAt: Date): Promise<string | null> {
    const rows: Array<{ id: string }> = await this.dataSource.query(
      `INSERT INTO alert_events (rule_id, period_key, subject, body, fired_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT ON CONSTRAINT alert_events_once_per_period DO NOTHING RETURNING id`,
      [ruleId, periodKey, subject, body, firedAt],
    );
    return rows[0]?.id ?? null;
  }

  async markDelivery(id: string, delivery: AlertDelivery, error: string | null): Promise<void> {
    await this.dataSource.query(
      `UPDATE alert_events SET delivery = $2, delivery_error = $3, attempts = attempts + 1,
         sent_at = CASE WHEN $2 = 'sent' THEN now() ELSE sent_at END
       WHERE id = $1`,
      [id, delivery, error],
    );
  }

  /** Events still to send: new ones, and failed ones with attempts left that fired in the day before `now`. */
  undelivered(now: Date): Promise<AlertEventEntity[]> {
    return this.dataSource.query(
      `SELECT id, rule_id AS "ruleId", period_key AS "periodKey", fired_at AS "firedAt", subject, body, delivery,
         delivery_error AS "deliveryError", attempts, sent_at AS "sentAt"
       FROM alert_events
       WHERE delivery IN ('pending', 'failed') AND attempts < $1 AND fired_at > $2::timestamptz - interval '1 day'
       ORDER BY id`,
      [MAX_DELIVERY_ATTEMPTS, now],
    );
  }

  events(limit: number, ids?: string[]): Promise<AlertEventRow[]> {
    return this.dataSource.query(
      `SELECT e.id, e.rule_id AS "ruleId", e.period_key AS "periodKey", e.fired_at AS "firedAt", e.subject, e.body,
         e.delivery, e.delivery_error AS "deliveryError", e.attempts, e.sent_at AS "sentAt", r.kind, r.name AS "ruleName"
       FROM alert_events e JOIN alert_rules r ON r.id = e.rule_id
       WHERE $2::bigint[] IS NULL OR e.id = ANY ($2::bigint[])
       ORDER BY e.fired_at DESC, e.id DESC LIMIT $1`,
      [limit, ids ?? null],
    );
  }
}
