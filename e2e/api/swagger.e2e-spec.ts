import { createTestApp, TestApp } from '../../apps/api/test/test-app';

describe('Swagger explorer', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await createTestApp();
  });
  afterAll(async () => {
    await testApp.close();
  });

  it('serves the explorer page at /api/docs', async () => {
    const res = await testApp.anonymous().get('/api/docs').expect(200);
    expect(res.text).toContain('swagger-ui');
  });

  it('documents the API under /api with bearer and cookie authentication', async () => {
    const res = await testApp.anonymous().get('/api/docs-json').expect(200);
    expect(res.body.info.title).toBe('MT Ink Dashboard API');
    expect(res.body.paths['/api/health']).toHaveProperty('get');
    expect(Object.keys(res.body.components.securitySchemes).sort()).toEqual(['bearer', 'cookie']);
  });
});
