import { retryAfterSeconds, WebhookAdmission } from './webhook-admission';

/** A clock the test moves by hand: nothing here waits. */
function clock(): { now: () => number; advance: (ms: number) => void } {
  let t = 1_000;
  return { now: () => t, advance: (ms) => (t += ms) };
}

const admittedOf = (gate: WebhookAdmission, n: number) =>
  Array.from({ length: n }, () => {
    const admission = gate.admit();
    if (!admission.admitted) throw new Error(`refused: ${admission.reason}`);
    return admission.release;
  });

describe('WebhookAdmission', () => {
  it('lets in as many as maxInFlight, refuses the next, and admits again once one is answered', () => {
    const time = clock();
    const gate = new WebhookAdmission({ maxInFlight: 3, deadlineMs: 1000 }, time.now);
    const releases = admittedOf(gate, 3);
    expect(gate.admit()).toEqual({ admitted: false, reason: '3 webhooks are in flight, the most this server takes' });
    expect(gate.admitted).toBe(3);
    releases[1]!();
    releases[1]!(); // a second 'close' of the same request frees nothing more
    expect(gate.admitted).toBe(2);
    expect(gate.admit().admitted).toBe(true);
    expect(gate.admit().admitted).toBe(false);
    expect(gate.refused).toBe(2);
  });

  it('refuses every request once the oldest in flight has waited half the deadline, until it is answered', () => {
    const time = clock();
    const gate = new WebhookAdmission({ maxInFlight: 100, deadlineMs: 1000 }, time.now);
    const [oldest] = admittedOf(gate, 1);
    time.advance(499);
    const [younger] = admittedOf(gate, 1);
    time.advance(1);
    expect(gate.admit()).toEqual({ admitted: false, reason: 'the oldest webhook in flight has waited 500 ms' });
    // The one behind it counts from its own admission: 1 ms waited, so the gate opens when the oldest goes.
    oldest!();
    expect(gate.admit().admitted).toBe(true);
    time.advance(499);
    expect(gate.admit()).toEqual({ admitted: false, reason: 'the oldest webhook in flight has waited 500 ms' });
    younger!();
    expect(gate.admitted).toBe(1);
    expect(gate.refused).toBe(2);
  });

  it('asks for a retry after about one deadline, at least a second', () => {
    expect([100, 1000, 1001, 5000].map(retryAfterSeconds)).toEqual([1, 1, 2, 5]);
  });
});
