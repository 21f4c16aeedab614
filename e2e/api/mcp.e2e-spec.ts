import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import type { CatalogueResponse, TitleDetailResponse, TitlesResponse } from '@mt/contracts';
import { FixtureOrder, insertSalesFixtures } from '../../apps/api/test/sales-fixtures';
import { ingest, line, order } from '../../apps/api/src/titles/fixtures/title-orders';
import { createTestApp, TestApp } from '../../apps/api/test/test-app';

/**
 * The MCP endpoint through the SDK's own client over HTTP, against the real app and PostgreSQL. Now is
 * Tuesday 31 March 2026, 14:30 in Berlin.
 */
const NOW = '2026-03-31T14:30:00+02:00';

const ORDERS: FixtureOrder[] = [
  ['A', 'shopify', '2026-03-31T09:00:00+02:00', 'USD', '100.00', '100.00', 'GB', 'paid', false],
  ['B', 'etsy', '2026-03-31T14:29:59+02:00', 'GBP', '40.00', '50.10', 'US', 'paid', false],
  ['C', 'shopify', '2026-03-31T14:30:00+02:00', 'USD', '999.00', '999.00', 'GB', 'paid', false], // at now: not yet
  ['D', 'woocommerce', '2026-03-30T10:00:00+02:00', 'USD', '30.00', '30.00', 'DE', 'paid', false],
  ['E', 'shopify', '2026-03-30T15:00:00+02:00', 'USD', '70.00', '70.00', 'DE', 'paid', false], // after the point
  ['F', 'shopify', '2026-03-31T11:00:00+02:00', 'EUR', '80.00', null, 'DE', 'paid', false], // unconvertible
];

const WEEKLY_CSV = [
  'Week starting,Title,ISBN,Country,Total listen minutes,Completed listen equivalents',
  '2026-03-16,The Salt Road,9781917000012,US,1000,1.5',
  '2026-03-16,The Salt Road,9781917000012,GB,250,0.5',
].join('\n');

const VIEWER_TOOLS = [
  'sales_today_vs_yesterday',
  'sales_week_vs_last_week',
  'sales_month_vs_last_month',
  'sales_range',
  'sales_year_over_year',
  'sales_metrics_summary',
  'sales_growth_daily',
  'sales_growth_weekly',
  'sales_growth_monthly',
  'sales_by_country',
  'sales_by_platform',
  'titles_top',
  'title_detail',
  'titles_catalogue',
  'spotify_minutes',
  'spotify_countries',
  'spotify_quarterly_projection',
  'spotify_months',
  'spotify_statements',
  'alerts_fired',
  'data_sources',
  'health',
  'fx_status',
  'fx_rates',
];
const ADMIN_TOOLS = ['add_exchange_rates', 'import_history', 'import_file'];

/** Everything the app wrote to stdout (its JSON logs) while this file ran. */
const logLines: string[] = [];
const stdoutWrite = process.stdout.write.bind(process.stdout);

describe('MCP endpoint', () => {
  let app: TestApp;
  const clients: Client[] = [];

  async function connect(headers: Record<string, string>): Promise<Client> {
    const client = await mcpClient(app, headers);
    clients.push(client);
    return client;
  }

  const as = (role: 'admin' | 'viewer') => connect({ Authorization: `Bearer ${app.users[role].token}` });

  /** The protocol error a call was refused with. */
  async function refusal(call: Promise<unknown>): Promise<McpError> {
    const error: unknown = await call.then(
      () => new Error('the call succeeded'),
      (e: unknown) => e,
    );
    if (!(error instanceof McpError)) throw error;
    return error;
  }

  async function history(): Promise<Array<{ fileName: string; userId: number | null; status: string }>> {
    return (await app.as('admin').get('/api/upload/history').expect(200)).body.uploads;
  }

  beforeAll(async () => {
    // pino writes to process.stdout itself once its write has been replaced (it checks when the app starts).
    process.stdout.write = ((chunk: string | Uint8Array) => {
      logLines.push(...String(chunk).split('\n').filter(Boolean));
      return true;
    }) as typeof process.stdout.write;
    app = await createTestApp({ env: { LOG_LEVEL: 'info' } });
    await insertSalesFixtures(app, ORDERS, []);
    // Two orders with lines (in February, away from the figures the other tools are checked on) give the
    // titles tools a catalogue and sales to answer with.
    await ingest(app, [
      order('9001', '2026-02-10T10:00:00Z', '31.98', [
        line('The Salt Road', { variant: 'Paperback', quantity: 2, lineTotal: '31.98' }),
      ]),
      order('9002', '2026-02-11T10:00:00Z', '24.00', [
        line('Lanterns of Kell', { variant: 'Audiobook', lineTotal: '14.00' }),
        line('The Salt Road', { variant: 'Paperback', lineTotal: '10.00' }),
      ]),
    ]);
    await app.db.dataSource.query(`SELECT refresh_order_rollups($1)`, [app.config.businessTimezone]);
  });
  afterAll(async () => {
    for (const client of clients) await client.close();
    await app.close();
    process.stdout.write = stdoutWrite;
  });

  describe('requires an API token', () => {
    it('refuses a client without credentials with 401 and says what to send', async () => {
      await expect(connect({})).rejects.toMatchObject({
        code: 401,
        message: expect.stringContaining('send an API token (Authorization: Bearer'),
      });
    });

    it('refuses a signed-in session cookie alone, with a JSON-RPC error body', async () => {
      const login = await app
        .anonymous()
        .post('/api/auth/login')
        .send({ email: app.users.admin.email, password: app.users.admin.password })
        .expect(200);
      const cookie = ([] as string[]).concat(login.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]!)[0]!;
      await app.anonymous().get('/api/auth/me').set('Cookie', cookie).expect(200);

      await expect(connect({ Cookie: cookie })).rejects.toMatchObject({
        code: 401,
        message: expect.stringContaining('the MCP endpoint takes an API token only'),
      });
      const res = await app
        .anonymous()
        .post('/api/mcp')
        .set('Cookie', cookie)
        .set('Accept', 'application/json, text/event-stream')
        .send({ jsonrpc: '2.0', id: 1, method: 'tools/list' })
        .expect(401);
      expect(res.headers['www-authenticate']).toBe('Bearer');
      expect(res.body).toEqual({
        jsonrpc: '2.0',
        id: null,
        error: {
          code: -32000,
          message:
            'the MCP endpoint takes an API token only (Authorization: Bearer <token>); a session cookie is not accepted',
        },
      });
    });

    it('refuses a token once it is revoked, on the next call of an open client', async () => {
      const created = await app.as('admin').post('/api/auth/tokens').send({ name: 'assistant' }).expect(201);
      const client = await connect({ Authorization: `Bearer ${created.body.secret}` });
      expect((await client.listTools()).tools.length).toBe(VIEWER_TOOLS.length + ADMIN_TOOLS.length);

      await app.as('admin').delete(`/api/auth/tokens/${created.body.token.id}`).expect(204);
      const before = await history();
      await expect(
        client.callTool({ name: 'import_file', arguments: { name: 'late.csv', contentBase64: b64(WEEKLY_CSV) } }),
      ).rejects.toMatchObject({ code: 401, message: expect.stringContaining('send an API token') });
      await expect(connect({ Authorization: `Bearer ${created.body.secret}` })).rejects.toMatchObject({ code: 401 });
      expect(await history()).toEqual(before);
    });

    it('answers GET and DELETE with 405: the server is stateless', async () => {
      const res = await app.as('viewer').get('/api/mcp').set('Accept', 'text/event-stream').expect(405);
      expect(res.headers['allow']).toBe('POST');
      expect(res.body.error.message).toBe(
        'method not allowed: this MCP server is stateless, send every message with POST',
      );
      await app.as('viewer').delete('/api/mcp').expect(405);
    });
  });

  describe('tools/list', () => {
    it('lists the read tools to a viewer and the import tools to an admin as well', async () => {
      const viewer = await as('viewer');
      expect((await viewer.listTools()).tools.map((t) => t.name)).toEqual(VIEWER_TOOLS);
      const admin = await as('admin');
      expect((await admin.listTools()).tools.map((t) => t.name)).toEqual([...VIEWER_TOOLS, ...ADMIN_TOOLS]);
    });

    it('states the units in every description, with the configured currency and zone', async () => {
      const { tools } = await (await as('admin')).listTools();
      for (const tool of tools)
        expect([tool.name, tool.description]).toEqual([tool.name, expect.stringContaining('Europe/Berlin')]);
      const range = tools.find((t) => t.name === 'sales_range')!;
      expect(range.description).toContain('Amounts are in USD (the base currency), rounded to cents');
      expect(range.description).toContain('Returns the JSON of GET /api/comparison/range.');
      expect(range.annotations).toMatchObject({ readOnlyHint: true });
      expect(tools.find((t) => t.name === 'import_file')!.annotations).toMatchObject({ readOnlyHint: false });
    });

    it("gives each tool the JSON Schema of its REST endpoint's parameters", async () => {
      const { tools } = await (await as('admin')).listTools();
      const schema = (name: string) => tools.find((t) => t.name === name)!.inputSchema;
      expect(schema('sales_range')).toEqual({
        type: 'object',
        properties: {
          from: {
            type: 'string',
            description: 'Start: YYYY-MM-DD (00:00 in the business zone) or an ISO instant with offset',
            examples: ['2026-03-01'],
          },
          to: expect.objectContaining({ type: 'string', examples: ['2026-03-31'] }),
          now: expect.objectContaining({ type: 'string', format: 'date-time' }),
        },
        required: ['from', 'to'],
        additionalProperties: false,
      });
      expect(schema('sales_by_country').properties).toMatchObject({
        days: { type: 'integer', minimum: 1, maximum: 731, default: 30 },
        limit: { type: 'integer', minimum: 1, maximum: 250, default: 10 },
        sort: { type: 'string', enum: ['orders', 'revenue'], default: 'orders' },
      });
      expect(schema('data_sources')).toEqual({ type: 'object', properties: {}, additionalProperties: false });
      expect(schema('import_file')).toMatchObject({
        properties: {
          name: { type: 'string' },
          contentBase64: { type: 'string' },
          type: {
            type: 'string',
            enum: [
              'spotify-weekly',
              'spotify-monthly',
              'spotify-revenue',
              'spotify-statement',
              'fx-rates',
              'ecb-rates',
            ],
          },
        },
        required: ['name', 'contentBase64'],
      });
    });
  });

  describe('tools/call', () => {
    it('answers the comparison at a pinned instant with exactly the figures of the REST endpoint', async () => {
      const client = await as('viewer');
      const result = await client.callTool({ name: 'sales_today_vs_yesterday', arguments: { now: NOW } });
      const rest = (await app.as('viewer').get('/api/comparison/today-vs-yesterday').query({ now: NOW }).expect(200))
        .body;
      expect(result.structuredContent).toEqual(rest);
      expect(JSON.parse((result.content as Array<{ text: string }>)[0]!.text)).toEqual(rest);
      // Stated by hand, so that equal-to-REST is not equal-but-empty.
      expect(rest).toMatchObject({
        timezone: 'Europe/Berlin',
        currency: 'USD',
        today: { orders: 2, revenue: 150.1 },
        yesterday: { orders: 1, revenue: 30 },
        yesterdayFullDay: { orders: 2, revenue: 100 },
        warnings: [expect.objectContaining({ code: 'unconverted_orders', count: 1, currencies: ['EUR'] })],
      });
    });

    it.each([
      ['sales_range', '/api/comparison/range', { from: '2026-03-30', to: '2026-03-31' }],
      ['sales_year_over_year', '/api/comparison/yoy', { from: '2026-03-01', to: '2026-03-31' }],
      ['sales_month_vs_last_month', '/api/comparison/month-vs-lastmonth', {}],
      ['sales_growth_daily', '/api/growth/daily', { days: 3 }],
      ['sales_by_country', '/api/countries', { days: 7, sort: 'revenue' }],
      ['sales_by_platform', '/api/revenue/platforms', { days: 7 }],
      ['titles_top', '/api/titles', { from: '2026-02-01', to: '2026-02-28', sort: 'units' }],
      ['spotify_quarterly_projection', '/api/spotify/quarterly-projection', {}],
      ['spotify_months', '/api/spotify/months', { months: 3 }],
      ['spotify_statements', '/api/spotify/statements', {}],
    ])('%s returns what GET %s returns', async (name, path, args) => {
      const client = await as('viewer');
      const result = await client.callTool({ name, arguments: { ...args, now: NOW } });
      const rest = (
        await app
          .as('viewer')
          .get(path)
          .query({ ...args, now: NOW })
          .expect(200)
      ).body;
      expect(result.structuredContent).toEqual(rest);
    });

    it('title_detail returns what GET /api/titles/:id returns, for a title titles_top names', async () => {
      const client = await as('viewer');
      const range = { from: '2026-02-01', to: '2026-02-28', now: NOW };
      const top = (await client.callTool({ name: 'titles_top', arguments: { ...range, sort: 'units' } }))
        .structuredContent as TitlesResponse;
      expect(top.titles.map((title) => [title.title, title.units, title.revenue])).toEqual([
        ['The Salt Road', 3, 41.98],
        ['Lanterns of Kell', 1, 14],
      ]);
      const id = String(top.titles[0]!.id);
      const result = await client.callTool({ name: 'title_detail', arguments: { ...range, id } });
      const rest = (await app.as('viewer').get(`/api/titles/${id}`).query(range).expect(200))
        .body as TitleDetailResponse;
      expect(rest.total.revenue).toBe(41.98);
      expect(result.structuredContent).toEqual(rest);
    });

    it('titles_catalogue returns what GET /api/titles/catalogue returns (it has no clock)', async () => {
      const result = await (await as('viewer')).callTool({ name: 'titles_catalogue', arguments: { search: 'salt' } });
      const rest = (await app.as('viewer').get('/api/titles/catalogue').query({ search: 'salt' }).expect(200))
        .body as CatalogueResponse;
      expect(rest.titles.map((title) => title.title)).toEqual(['The Salt Road']);
      expect(result.structuredContent).toEqual(rest);
    });

    it('refuses an unknown tool with a protocol error', async () => {
      const error = await refusal((await as('viewer')).callTool({ name: 'sales_forecast', arguments: {} }));
      expect(error.code).toBe(ErrorCode.InvalidParams);
      expect(error.message).toBe('MCP error -32602: unknown tool sales_forecast; tools/list names the tools there are');
    });

    it.each([
      [
        'sales_range',
        { from: 'last tuesday' },
        'invalid arguments for sales_range: from must be a date (YYYY-MM-DD) or an ISO 8601 instant with offset; ' +
          'to must be a date (YYYY-MM-DD) or an ISO 8601 instant with offset',
      ],
      ['sales_growth_daily', { days: 0 }, 'invalid arguments for sales_growth_daily: days must not be less than 1'],
      [
        'sales_growth_daily',
        { days: 2.5 },
        'invalid arguments for sales_growth_daily: days must be a whole number written in digits, like 30',
      ],
      [
        'sales_by_country',
        { days: 7, region: 'EU' },
        'invalid arguments for sales_by_country: property region should not exist',
      ],
      ['data_sources', { verbose: true }, 'invalid arguments for data_sources: property verbose should not exist'],
      ['sales_range', { from: '2026-03-31', to: '2026-03-01' }, 'sales_range: from must not be after to'],
    ])('refuses %s with %j, saying which argument and why', async (name, args, message) => {
      const error = await refusal((await as('viewer')).callTool({ name, arguments: args }));
      expect(error.code).toBe(ErrorCode.InvalidParams);
      expect(error.message).toEqual(`MCP error -32602: ${message}`);
    });

    it('refuses the import tool to a viewer and imports nothing', async () => {
      const before = await history();
      const error = await refusal(
        (await as('viewer')).callTool({
          name: 'import_file',
          arguments: { name: 'weekly.csv', contentBase64: b64(WEEKLY_CSV) },
        }),
      );
      expect(error.code).toBe(ErrorCode.InvalidRequest);
      expect(error.message).toBe(
        'MCP error -32600: import_file needs the admin role, and this API token belongs to a viewer; nothing was changed',
      );
      expect(await history()).toEqual(before);
      expect(await app.db.dataSource.query(`SELECT count(*)::int AS n FROM spotify_weekly_stats`)).toEqual([{ n: 0 }]);
    });

    it('adds exchange rates for an admin, converting what waited, and refuses them to a viewer', async () => {
      const rates = { rates: [{ date: '2026-03-13', currency: 'BDT', rate: '0.0081967' }] };
      const error = await refusal((await as('viewer')).callTool({ name: 'add_exchange_rates', arguments: rates }));
      expect(error.message).toBe(
        'MCP error -32600: add_exchange_rates needs the admin role, and this API token belongs to a viewer; nothing was changed',
      );
      const bdt = `SELECT count(*)::int AS n FROM fx_rates WHERE currency = 'BDT'`;
      expect(await app.db.dataSource.query(bdt)).toEqual([{ n: 0 }]);
      const admin = await as('admin');
      const added = await admin.callTool({ name: 'add_exchange_rates', arguments: rates });
      expect(added.structuredContent).toMatchObject({ inserted: 1, updated: 0 });
      const read = await admin.callTool({ name: 'fx_rates', arguments: { currency: 'bdt' } });
      expect(read.structuredContent).toEqual(
        (await app.as('viewer').get('/api/fx/rates').query({ currency: 'BDT' }).expect(200)).body,
      );
      expect((read.structuredContent as { rates: Array<{ rate: string }> }).rates).toEqual([
        expect.objectContaining({ date: '2026-03-13', currency: 'BDT', rate: '0.0081967', source: 'api' }),
      ]);
      const status = await admin.callTool({ name: 'fx_status', arguments: {} });
      expect(status.structuredContent).toEqual((await app.as('viewer').get('/api/fx/status').expect(200)).body);
    });

    it("imports an admin's file through the one intake: the import history shows it, by that admin", async () => {
      const client = await as('admin');
      const result = await client.callTool({
        name: 'import_file',
        arguments: { name: 'weekly.csv', contentBase64: b64(WEEKLY_CSV) },
      });
      expect(result.structuredContent).toEqual({
        files: [
          expect.objectContaining({
            name: 'weekly.csv',
            type: 'spotify-weekly',
            status: 'imported',
            rows: 2,
            inserted: 2,
            updated: 0,
            errors: [],
          }),
        ],
      });
      expect((await history())[0]).toMatchObject({
        fileName: 'weekly.csv',
        userId: Number(app.users.admin.id),
        status: 'imported',
      });
      const listed = await client.callTool({ name: 'import_history', arguments: { limit: 1 } });
      expect(listed.structuredContent).toEqual(
        (await app.as('admin').get('/api/upload/history').query({ limit: 1 }).expect(200)).body,
      );
      const minutes = await app.db.dataSource.query(`SELECT sum(minutes)::int AS n FROM spotify_weekly_stats`);
      expect(minutes).toEqual([{ n: 1250 }]);
    });

    it('reports a bad file by row and column, as the upload does, and writes nothing', async () => {
      const csv = `${WEEKLY_CSV}\n2026-03-31,The Salt Road,9781917000012,US,lots,1.5`.replace(
        '2026-03-16',
        '2026-03-09',
      );
      const result = await (
        await as('admin')
      ).callTool({
        name: 'import_file',
        arguments: { name: 'weekly-bad.csv', contentBase64: b64(csv) },
      });
      expect(result.structuredContent).toEqual({
        files: [
          expect.objectContaining({
            name: 'weekly-bad.csv',
            status: 'rejected',
            inserted: 0,
            errors: [{ row: 4, column: 'Total listen minutes', message: '"lots" is not a number' }],
          }),
        ],
      });
      expect(await app.db.dataSource.query(`SELECT sum(minutes)::int AS n FROM spotify_weekly_stats`)).toEqual([
        { n: 1250 },
      ]);
    });

    it('refuses an import whose content is not base64, naming the argument', async () => {
      const error = await refusal(
        (await as('admin')).callTool({
          name: 'import_file',
          arguments: { name: 'x.csv', contentBase64: 'not base64!' },
        }),
      );
      expect(error.message).toBe(
        'MCP error -32602: invalid arguments for import_file: contentBase64 must be base64 encoded',
      );
    });
  });

  describe('resources', () => {
    it('serves the data dictionary with the live zone, currency, refund rule and Spotify rate', async () => {
      const client = await as('viewer');
      expect((await client.listResources()).resources).toEqual([
        expect.objectContaining({ uri: 'mtink://data-dictionary', mimeType: 'text/markdown' }),
      ]);
      const { contents } = await client.readResource({ uri: 'mtink://data-dictionary' });
      const text = (contents[0] as { text: string }).text;
      expect(text).toContain('Business time zone: **Europe/Berlin**');
      expect(text).toContain('Base currency: **USD**');
      expect(text).toContain('on the day the refund happened');
      expect(text).toContain('**$0.00841 per minute**');
      expect(text).toContain('**530 minutes**');
      const error = await refusal(client.readResource({ uri: 'mtink://secrets' }));
      expect(error.message).toContain('unknown resource mtink://secrets');
    });
  });

  it('logs the requests, and never a token', () => {
    const mcpLines = logLines.filter((line) => line.includes('"url":"/api/mcp"'));
    expect(mcpLines.length).toBeGreaterThan(10);
    expect(mcpLines.some((line) => line.includes('"statusCode":401'))).toBe(true);
    const secrets = [app.users.admin.token, app.users.viewer.token];
    expect(logLines.filter((line) => secrets.some((secret) => line.includes(secret)))).toEqual([]);
    expect(logLines.filter((line) => line.includes('mtk_'))).toEqual([]);
  });
});

describe('MCP import under a small UPLOAD_MAX_MB', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp({ env: { UPLOAD_MAX_MB: '1' } });
  });
  afterAll(async () => {
    await app.close();
  });

  it('refuses a file over the upload limit, as the upload does, and imports nothing', async () => {
    const client = await mcpClient(app, { Authorization: `Bearer ${app.users.admin.token}` });
    const row = '\n2026-03-16,The Salt Road,9781917000012,US,1000,1.5';
    const csv = WEEKLY_CSV + row.repeat(Math.ceil((1024 * 1024) / row.length));
    const error: unknown = await client
      .callTool({ name: 'import_file', arguments: { name: 'big.csv', contentBase64: b64(csv) } })
      .catch((e: unknown) => e);
    await client.close();
    expect(error).toBeInstanceOf(McpError);
    expect((error as McpError).message).toBe(
      'MCP error -32600: import_file: big.csv is larger than the upload limit of 1 MB (UPLOAD_MAX_MB); nothing was imported',
    );
    expect((await app.as('admin').get('/api/upload/history').expect(200)).body.uploads).toEqual([]);
  });
});

/** An MCP client of the SDK, connected over Streamable HTTP with these headers. */
async function mcpClient(app: TestApp, headers: Record<string, string>): Promise<Client> {
  const client = new Client({ name: 'mcp-e2e', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${app.baseUrl}/api/mcp`), { requestInit: { headers } }),
  );
  return client;
}

function b64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}
