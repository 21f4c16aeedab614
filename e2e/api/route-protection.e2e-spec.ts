import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer } from '@nestjs/core';
import type { Role } from '@mt/contracts';
import { ROLES_KEY } from '../../apps/api/src/auth/roles.decorator';
import { createTestApp, TestApp } from '../../apps/api/test/test-app';

interface RegisteredRoute {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

/**
 * SPEC §7: the only routes that answer without a session or token. The second step of a sign-in
 * (`/api/auth/login/2fa…`) is public to the guard and checks its own pending-login cookie instead.
 */
const SIGN_IN_ROUTES = [
  'post /api/auth/login',
  'post /api/auth/login/2fa',
  'post /api/auth/login/2fa/setup',
  'post /api/auth/login/2fa/confirm',
  'get /api/auth/config',
  'get /api/auth/oidc/login',
  'get /api/auth/oidc/callback',
];
const PENDING_LOGIN_ROUTES = ['/api/auth/login/2fa', '/api/auth/login/2fa/setup', '/api/auth/login/2fa/confirm'];
const GUARD_MESSAGE = 'sign in or send an API token (Authorization: Bearer …)';

function isPublic(route: RegisteredRoute): boolean {
  if (route.path === '/api/health') return true;
  if (route.path.startsWith('/api/webhooks/') && route.method === 'post') return true;
  if (SIGN_IN_ROUTES.includes(`${route.method} ${route.path}`)) return true;
  // The Swagger explorer and description (registered by SwaggerModule, not by a controller): no data.
  return (
    route.method === 'get' &&
    (route.path === '/api/docs' || route.path.startsWith('/api/docs-') || route.path.startsWith('/api/docs/'))
  );
}

/** SPEC §7 / issue 6: uploads, imports, users and tokens entirely; settings and alert rules for every change. */
function mustBeAdminOnly(route: RegisteredRoute): boolean {
  if (
    ['/api/upload', '/api/import', '/api/users', '/api/auth/tokens'].some(
      (prefix) => route.path === prefix || route.path.startsWith(`${prefix}/`),
    )
  )
    return true;
  return (
    route.method !== 'get' &&
    ['/api/settings', '/api/alerts'].some((prefix) => route.path === prefix || route.path.startsWith(`${prefix}/`))
  );
}

/** Every route of the Express router under /api, as Express matches them (nothing hand-listed). */
function expressRoutes(testApp: TestApp): RegisteredRoute[] {
  const router = (
    testApp.app.getHttpAdapter().getInstance() as {
      router: { stack: Array<{ route?: { path: string; methods: Record<string, boolean> } }> };
    }
  ).router;
  const routes: RegisteredRoute[] = [];
  for (const layer of router.stack) {
    if (!layer.route || !layer.route.path.startsWith('/api')) continue;
    for (const method of METHODS) if (layer.route.methods[method]) routes.push({ method, path: layer.route.path });
  }
  return routes;
}

/** Controller routes with the roles the global guard will require, from the decorators' metadata. */
function controllerRoles(testApp: TestApp): Map<string, Role[] | undefined> {
  const roles = new Map<string, Role[] | undefined>();
  for (const module of testApp.app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as (new (...args: never[]) => unknown) | null;
      if (!controller) continue;
      const base = String(Reflect.getMetadata(PATH_METADATA, controller) ?? '');
      for (const name of Object.getOwnPropertyNames(controller.prototype)) {
        const handler = controller.prototype[name];
        if (typeof handler !== 'function' || Reflect.getMetadata(METHOD_METADATA, handler) === undefined) continue;
        const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod].toLowerCase();
        const path = `/api/${base}/${String(Reflect.getMetadata(PATH_METADATA, handler) ?? '')}`
          .replace(/\/+/g, '/')
          .replace(/(.)\/$/, '$1');
        roles.set(
          `${method} ${path}`,
          Reflect.getMetadata(ROLES_KEY, handler) ?? Reflect.getMetadata(ROLES_KEY, controller),
        );
      }
    }
  }
  return roles;
}

function concrete(path: string): string {
  return path.replace(/:(\w+)/g, '1');
}

describe('route protection', () => {
  let testApp: TestApp;
  let routes: RegisteredRoute[];

  beforeAll(async () => {
    testApp = await createTestApp();
    routes = expressRoutes(testApp);
  });
  afterAll(async () => {
    await testApp.close();
  });

  it('finds the routes of every feature in the router', () => {
    const paths = new Set(routes.map((route) => `${route.method} ${route.path}`));
    for (const expected of [
      'get /api/health',
      'post /api/auth/login',
      'get /api/auth/me',
      'get /api/users',
      'post /api/webhooks/shopify',
      'post /api/upload',
    ]) {
      expect(paths).toContain(expected);
    }
    expect(routes.length).toBeGreaterThan(20);
  });

  it('answers 401 without credentials on every route but health, webhooks, login and the API docs', async () => {
    const unprotected: string[] = [];
    for (const route of routes.filter((r) => !isPublic(r))) {
      const res = await testApp.anonymous()[route.method](concrete(route.path));
      // Nest's own not-found handlers for the global prefix (`/api`, `/api/{*path}`) hold no data.
      if (res.status === 404 && /^Cannot [A-Z]+ \//.test(String(res.body.message))) continue;
      if (res.status !== 401) unprotected.push(`${route.method.toUpperCase()} ${route.path} → ${res.status}`);
    }
    expect(unprotected).toEqual([]);
  });

  it('lets the public routes answer without credentials', async () => {
    const refused: string[] = [];
    for (const route of routes.filter(isPublic)) {
      const res = await testApp.anonymous()[route.method](concrete(route.path)).send({});
      const checksItsOwn = route.path.startsWith('/api/webhooks/') || PENDING_LOGIN_ROUTES.includes(route.path);
      if (res.status === 401 && (!checksItsOwn || res.body.message === GUARD_MESSAGE))
        refused.push(`${route.method} ${route.path}`);
      // A webhook without a signature is refused by its HMAC check, not by the session guard.
      if (route.path.startsWith('/api/webhooks/') && res.status === 401)
        expect(res.body.message).not.toMatch(/sign in/);
    }
    expect(refused).toEqual([]);
  });

  it('marks uploads, imports, users, tokens and every change to settings and alert rules admin-only', () => {
    const roles = controllerRoles(testApp);
    const missing = routes
      .filter(mustBeAdminOnly)
      .filter((route) => !roles.get(`${route.method} ${route.path}`)?.every((role) => role === 'admin'))
      .map((route) => `${route.method.toUpperCase()} ${route.path}`);
    expect(missing).toEqual([]);
  });

  it('answers 403 to a viewer on every admin-only route, before reading the body', async () => {
    const roles = controllerRoles(testApp);
    const adminRoutes = routes.filter(
      (route) =>
        roles.get(`${route.method} ${route.path}`)?.includes('admin') &&
        !roles.get(`${route.method} ${route.path}`)?.includes('viewer'),
    );
    expect(adminRoutes.length).toBeGreaterThanOrEqual(7);
    const allowed: string[] = [];
    for (const route of adminRoutes) {
      const res = await testApp.as('viewer')[route.method](concrete(route.path)).send({});
      if (res.status !== 403) allowed.push(`${route.method.toUpperCase()} ${route.path} → ${res.status}`);
    }
    expect(allowed).toEqual([]);
  });

  it('lets an admin past the guard on every admin-only route', async () => {
    const roles = controllerRoles(testApp);
    const adminRoutes = routes.filter((route) => roles.get(`${route.method} ${route.path}`)?.includes('admin'));
    for (const route of adminRoutes.filter((r) => r.method === 'get')) {
      const res = await testApp.as('admin').get(concrete(route.path));
      expect([route.path, res.status]).not.toEqual([route.path, 403]);
      expect([route.path, res.status]).not.toEqual([route.path, 401]);
    }
  });
});
