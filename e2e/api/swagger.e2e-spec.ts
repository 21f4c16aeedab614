import { ModulesContainer } from '@nestjs/core';
import type {
  OpenAPIObject,
  OperationObject,
  ReferenceObject,
  SchemaObject,
  SecuritySchemeObject,
} from '@nestjs/swagger';
import type request from 'supertest';
import { IS_PUBLIC } from '../../apps/api/src/common/public.decorator';
import { createTestApp, TestApp } from '../../apps/api/test/test-app';

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

interface Operation {
  /** e.g. `get /api/goals/current` */
  key: string;
  path: string;
  method: (typeof METHODS)[number];
  operation: OperationObject;
}

function operations(document: OpenAPIObject): Operation[] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    METHODS.filter((method) => item[method]).map((method) => ({
      key: `${method} ${path}`,
      path,
      method,
      operation: item[method]!,
    })),
  );
}

/** `@Public()` handlers, by the `Controller_method` operation id that Nest's Swagger module gives them. */
function publicOperationIds(testApp: TestApp): Set<string> {
  const ids = new Set<string>();
  for (const module of testApp.app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as (new (...args: never[]) => unknown) | null;
      if (!controller) continue;
      for (const name of Object.getOwnPropertyNames(controller.prototype)) {
        const handler = controller.prototype[name];
        if (typeof handler !== 'function') continue;
        // The guard's own rule: the handler's mark, else the controller's.
        if (Reflect.getMetadata(IS_PUBLIC, handler) ?? Reflect.getMetadata(IS_PUBLIC, controller))
          ids.add(`${controller.name}_${name}`);
      }
    }
  }
  return ids;
}

function isReference(schema: SchemaObject | ReferenceObject): schema is ReferenceObject {
  return '$ref' in schema;
}

function resolve(document: OpenAPIObject, schema: SchemaObject | ReferenceObject): SchemaObject {
  if (isReference(schema)) {
    const resolved = document.components?.schemas?.[schema.$ref.replace('#/components/schemas/', '')];
    if (!resolved) throw new Error(`${schema.$ref} is not in components.schemas`);
    return resolve(document, resolved);
  }
  // `allOf: [$ref]` is how a property with its own description points at a schema.
  if (schema.allOf?.length === 1) return { ...resolve(document, schema.allOf[0]!), nullable: schema.nullable };
  return schema;
}

/**
 * Where `value` does not have the documented shape: a property missing or not documented, or a value of
 * another type. Nested objects and array items are followed.
 */
function mismatches(
  document: OpenAPIObject,
  raw: SchemaObject | ReferenceObject,
  value: unknown,
  at: string,
): string[] {
  const schema = resolve(document, raw);
  if (value === null) return schema.nullable ? [] : [`${at} is null but not nullable`];
  if (schema.enum && !schema.enum.includes(value)) return [`${at} = ${JSON.stringify(value)} is not in the enum`];
  switch (schema.type) {
    case 'object': {
      if (typeof value !== 'object' || Array.isArray(value)) return [`${at} is not an object`];
      const properties = schema.properties ?? {};
      const problems = Object.keys(value)
        .filter((key) => !(key in properties))
        .map((key) => `${at}.${key} is not documented`);
      for (const [key, property] of Object.entries(properties)) {
        const present = key in value;
        if (!present && schema.required?.includes(key)) problems.push(`${at}.${key} is missing`);
        if (present)
          problems.push(...mismatches(document, property, (value as Record<string, unknown>)[key], `${at}.${key}`));
      }
      return problems;
    }
    case 'array':
      if (!Array.isArray(value)) return [`${at} is not an array`];
      return value.flatMap((item, i) => mismatches(document, schema.items!, item, `${at}[${i}]`));
    case 'integer':
      return Number.isInteger(value) ? [] : [`${at} is not an integer`];
    case 'number':
    case 'string':
    case 'boolean':
      return typeof value === schema.type ? [] : [`${at} is not a ${schema.type}`];
    default:
      return [`${at} has no documented type`];
  }
}

/** The properties of a schema that say nothing about their values (what Swagger makes of a TypeScript union it cannot read). */
function untypedProperties(
  document: OpenAPIObject,
  raw: SchemaObject | ReferenceObject,
  at: string,
  seen: Set<string>,
): string[] {
  if (isReference(raw)) {
    if (seen.has(raw.$ref)) return [];
    seen.add(raw.$ref);
  }
  const schema = resolve(document, raw);
  if (schema.type === 'array') return untypedProperties(document, schema.items!, `${at}[]`, seen);
  if (schema.type !== 'object') return schema.type || schema.enum ? [] : [at];
  const properties = Object.entries(schema.properties ?? {});
  if (properties.length === 0) return [`${at} (an object without properties)`];
  return properties.flatMap(([key, property]) => untypedProperties(document, property, `${at}.${key}`, seen));
}

describe('Swagger explorer', () => {
  let testApp: TestApp;
  let document: OpenAPIObject;

  beforeAll(async () => {
    testApp = await createTestApp();
    document = (await testApp.anonymous().get('/api/docs-json').expect(200)).body as OpenAPIObject;
  });
  afterAll(async () => {
    await testApp.close();
  });

  it('serves the explorer page at /api/docs', async () => {
    const res = await testApp.anonymous().get('/api/docs').expect(200);
    expect(res.text).toContain('swagger-ui');
  });

  it('documents the API under /api with an API-token and a session-cookie scheme', () => {
    expect(document.info.title).toBe('MT Ink Dashboard API');
    expect(document.paths['/api/health']).toHaveProperty('get');
    expect(document.components?.securitySchemes).toEqual({
      bearer: { type: 'http', scheme: 'bearer', description: expect.stringContaining('POST /api/auth/tokens') },
      cookie: { type: 'apiKey', in: 'cookie', name: 'mtink_session', description: expect.any(String) },
    });
  });

  it('lists both schemes on every operation the guard protects, and none on the public ones', () => {
    const publicIds = publicOperationIds(testApp);
    const all = operations(document);
    const isPublic = (op: Operation) => publicIds.has(op.operation.operationId ?? '');
    // SPEC §7: health, the webhooks and sign-in only (the password, its second step, single sign-on).
    expect(all.filter(isPublic).map((op) => op.key)).toEqual([
      'get /api/health',
      'post /api/auth/login',
      'post /api/auth/login/2fa',
      'post /api/auth/login/2fa/setup',
      'post /api/auth/login/2fa/confirm',
      'get /api/auth/config',
      'get /api/auth/oidc/login',
      'get /api/auth/oidc/callback',
      'post /api/webhooks/shopify',
      'post /api/webhooks/woocommerce',
    ]);
    // The MCP endpoint is for scripts and assistants: an API token only, a session cookie is refused.
    const tokenOnly = new Set(['post /api/mcp']);
    const wrong = all
      .filter((op) => {
        const security = op.operation.security;
        if (isPublic(op)) return security !== undefined;
        if (tokenOnly.has(op.key)) return JSON.stringify(security) !== JSON.stringify([{ bearer: [] }]);
        return !(security?.length === 2 && security.some((s) => 'bearer' in s) && security.some((s) => 'cookie' in s));
      })
      .map((op) => `${op.key}: ${JSON.stringify(op.operation.security)}`);
    expect(all.length).toBeGreaterThan(40);
    expect(wrong).toEqual([]);
  });

  it('gives every operation a typed success response, and every property of those a type', () => {
    const untyped: string[] = [];
    for (const op of operations(document)) {
      const successes = Object.entries(op.operation.responses).filter(([status]) => /^2\d\d$/.test(status));
      // A sign-in redirect (302 to the provider or back to the dashboard) has no body to type.
      const redirects = '302' in op.operation.responses;
      if (successes.length === 0 && !redirects) untyped.push(`${op.key}: no 2xx response`);
      for (const [status, response] of successes) {
        const content = response && 'content' in response ? response.content : undefined;
        // 204 No Content is typed by having none.
        if (status === '204') {
          if (content) untyped.push(`${op.key} ${status}: content on a 204`);
          continue;
        }
        if (!content || Object.keys(content).length === 0) untyped.push(`${op.key} ${status}: no content`);
        for (const [type, media] of Object.entries(content ?? {})) {
          if (!media.schema) untyped.push(`${op.key} ${status} ${type}: no schema`);
          else untyped.push(...untypedProperties(document, media.schema, `${op.key} ${status} ${type}`, new Set()));
        }
      }
    }
    expect(untyped).toEqual([]);
  });

  it("shows every field of the contract's GoalProgressResponse for /api/goals/current", () => {
    const schema = resolve(
      document,
      (
        document.paths['/api/goals/current']!.get!.responses['200'] as {
          content: Record<string, { schema: SchemaObject }>;
        }
      ).content['application/json']!.schema,
    );
    const fields = [
      'timezone',
      'currency',
      'asOf',
      'month',
      'monthStart',
      'monthEnd',
      'goal',
      'revenue',
      'projected',
      'elapsed',
      'expectedByNow',
      'percentOfGoal',
      'pace',
    ];
    expect(Object.keys(schema.properties ?? {}).sort()).toEqual([...fields].sort());
    expect([...(schema.required ?? [])].sort()).toEqual([...fields].sort());
    expect(schema.properties!['pace']).toEqual({ type: 'string', enum: ['on_track', 'behind', 'no_goal'] });
    expect(schema.properties!['goal']).toMatchObject({ type: 'number', nullable: true });
  });

  it('documents what the API answers: every GET without required parameters, called as an admin', async () => {
    const checked: string[] = [];
    const problems: string[] = [];
    // A signed-in browser's session, not an API token: some operations (two-factor) are for sessions only.
    const { email, password } = testApp.users.admin;
    const login = await testApp.anonymous().post('/api/auth/login').send({ email, password }).expect(200);
    const cookie = login.headers['set-cookie'] as unknown as string[];
    for (const op of operations(document).filter((o) => o.method === 'get')) {
      const media = (op.operation.responses['200'] as { content?: Record<string, { schema: SchemaObject }> })?.content;
      if (!media?.['application/json'] || op.operation.parameters?.some((p) => 'required' in p && p.required)) continue;
      const res = await testApp.anonymous().get(op.path).set('Cookie', cookie).expect(200);
      checked.push(op.key);
      problems.push(...mismatches(document, media['application/json'].schema, res.body, op.key));
    }
    expect(checked).toEqual(
      expect.arrayContaining([
        'get /api/goals/current',
        'get /api/metrics/summary',
        'get /api/growth/daily',
        'get /api/auth/me',
      ]),
    );
    expect(problems).toEqual([]);
  });

  it('lets a protected operation be called with each scheme it lists, exactly as the document describes it, and not without', async () => {
    const schemes = document.components!.securitySchemes as Record<string, SecuritySchemeObject>;
    const operation = document.paths['/api/goals/current']!.get!;
    const token: string = (
      await testApp.as('admin').post('/api/auth/tokens').send({ name: 'swagger explorer' }).expect(201)
    ).body.secret;
    const login = await testApp
      .anonymous()
      .post('/api/auth/login')
      .send({ email: testApp.users.viewer.email, password: testApp.users.viewer.password })
      .expect(200);
    const setCookie = ([] as string[]).concat(login.headers['set-cookie'] ?? []);

    const authenticate = (req: request.Test, scheme: SecuritySchemeObject): request.Test => {
      if (scheme.type === 'http' && scheme.scheme === 'bearer') return req.set('Authorization', `Bearer ${token}`);
      if (scheme.type === 'apiKey' && scheme.in === 'cookie') {
        const cookie = setCookie.map((c) => c.split(';')[0]!).find((c) => c.startsWith(`${scheme.name}=`));
        if (!cookie) throw new Error(`login set no cookie named ${scheme.name}`);
        return req.set('Cookie', cookie);
      }
      throw new Error(`no test for a ${scheme.type} scheme`);
    };

    const used: string[] = [];
    for (const requirement of operation.security ?? []) {
      for (const name of Object.keys(requirement)) {
        const res = await authenticate(testApp.anonymous().get('/api/goals/current'), schemes[name]!).expect(200);
        expect(res.body.pace).toEqual(expect.any(String));
        used.push(name);
      }
    }
    expect(used.sort()).toEqual(['bearer', 'cookie']);
    await testApp.anonymous().get('/api/goals/current').expect(401);
    await testApp.anonymous().get('/api/goals/current').set('Authorization', 'Bearer not-a-token').expect(401);
  });
});
