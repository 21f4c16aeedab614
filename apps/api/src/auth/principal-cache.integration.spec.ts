import { createTestApp, ensureTestUser, TestApp } from '../../test/test-app';
import { waitFor } from '../../test/wait-for';

/** Longer than any test here runs: whatever is forgotten was forgotten because it was told, not by age. */
const LONG_CACHE = { AUTH_CACHE_MS: '600000' };

/** Two instances on one database, each keeping principals in process (SPEC §9: a cheaper request). */
describe('principal cache across instances (integration)', () => {
  let first: TestApp;
  let second: TestApp;

  beforeAll(async () => {
    first = await createTestApp({ env: LONG_CACHE });
    second = await createTestApp({ db: first.db, env: LONG_CACHE });
  });
  afterAll(async () => {
    await second?.close();
    await first?.close();
  });

  const me = (app: TestApp, token: string) =>
    app.anonymous().get('/api/auth/me').set('Authorization', `Bearer ${token}`);

  it('keeps a caller in process: a token revoked behind the API, in the database, still passes', async () => {
    const user = await ensureTestUser(first.app, 'viewer', 'cached@test.local');
    await me(second, user.token).expect(200);
    await first.db.dataSource.query(`UPDATE api_tokens SET revoked_at = now() WHERE user_id = $1`, [user.id]);
    await me(second, user.token).expect(200);
    // The first instance never saw it, so it reads the database.
    await me(first, user.token).expect(401);
  });

  it('refuses a token revoked through one instance on the other as soon as it hears (NOTIFY)', async () => {
    const created = await first.as('admin').post('/api/auth/tokens').send({ name: 'wall screen' }).expect(201);
    const secret = created.body.secret as string;
    await me(second, secret).expect(200);
    await first.as('admin').delete(`/api/auth/tokens/${created.body.token.id}`).expect(204);
    await me(first, secret).expect(401);
    await waitFor(async () => (await me(second, secret)).status === 401, 'the other instance refusing the token');
  });

  it('applies a role change made on one instance on the other', async () => {
    const user = await ensureTestUser(first.app, 'viewer', 'promoted@test.local');
    const users = () => second.anonymous().get('/api/users').set('Authorization', `Bearer ${user.token}`);
    await users().expect(403);
    await first.as('admin').patch(`/api/users/${user.id}`).send({ role: 'admin' }).expect(200);
    await waitFor(async () => (await users()).status === 200, 'the other instance seeing the new role');
    expect((await me(second, user.token).expect(200)).body.user.role).toBe('admin');
  });

  it('reads every caller from the database while it cannot hear the others, and caches again once it can', async () => {
    const user = await ensureTestUser(first.app, 'viewer', 'deaf@test.local');
    await me(second, user.token).expect(200);
    const listeners = async () =>
      (
        await first.db.dataSource.query(
          `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'mtink-listen'`,
        )
      ).map((row: { pid: number }) => row.pid) as number[];
    const before = await listeners();
    expect(before).toHaveLength(2);
    // Cut both instances' LISTEN connections, as a database restart or a network fault would. An instance
    // learns of it when its client says so, a moment later; it reconnects only after it did, so once both
    // listen again each has been deaf for a while, and a revocation it could not hear meanwhile (here one
    // behind the API, which no instance ever hears) finds nothing cached from before.
    await first.db.dataSource.query(`SELECT pg_terminate_backend(pid) FROM unnest($1::int[]) pid`, [before]);
    await waitFor(
      async () => (await listeners()).filter((pid) => !before.includes(pid)).length === 2,
      'listening again',
    );
    await first.db.dataSource.query(`UPDATE api_tokens SET revoked_at = now() WHERE user_id = $1`, [user.id]);
    await me(second, user.token).expect(401);

    const again = await ensureTestUser(first.app, 'viewer', 'heard@test.local');
    await me(second, again.token).expect(200);
    await first.db.dataSource.query(`UPDATE api_tokens SET revoked_at = now() WHERE user_id = $1`, [again.id]);
    await me(second, again.token).expect(200);
  });
});
