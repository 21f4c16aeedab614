import { ClockQuery } from '../common/clock';
import { CountriesQuery, RangeQuery } from '../comparison/comparison.dto';
import { UploadHistoryQueryDto } from '../upload/upload.dto';
import { dataDictionary } from './data-dictionary';
import { inputSchemaOf, parseToolInput, ToolInputRejected } from './mcp-input';
import { MCP_TOOLS } from './mcp-tools';

describe('MCP tool inputs', () => {
  it('shows `now` only where the test clock is on', () => {
    expect(inputSchemaOf(ClockQuery, { testClock: false })).toEqual({
      type: 'object',
      properties: {},
      additionalProperties: false,
    });
    expect(Object.keys(inputSchemaOf(RangeQuery, { testClock: false }).properties)).toEqual(['from', 'to']);
    expect(Object.keys(inputSchemaOf(RangeQuery, { testClock: true }).properties)).toEqual(['from', 'to', 'now']);
  });

  it('makes a counted parameter an integer, also where its property has no type annotation', () => {
    expect(inputSchemaOf(UploadHistoryQueryDto, { testClock: false }).properties.limit).toEqual({
      type: 'integer',
      minimum: 1,
      maximum: 500,
      default: 50,
    });
  });

  it('builds the schema of every tool in the table, under a unique name', () => {
    const names = MCP_TOOLS.map((tool) => tool.name);
    expect(new Set(names).size).toBe(names.length);
    for (const tool of MCP_TOOLS) expect(inputSchemaOf(tool.input, { testClock: true }).type).toBe('object');
  });

  it('applies the DTO defaults and its rules, as the REST query does', async () => {
    await expect(parseToolInput(CountriesQuery, {})).resolves.toMatchObject({
      days: undefined,
      limit: 10,
      sort: 'orders',
    });
    await expect(parseToolInput(CountriesQuery, { days: 7, sort: 'revenue' })).resolves.toMatchObject({
      days: 7,
      sort: 'revenue',
    });
    await expect(parseToolInput(CountriesQuery, { days: 800, sort: 'units' })).rejects.toMatchObject({
      problems: ['sort must be one of the following values: orders, revenue', 'days must not be greater than 731'],
    });
    await expect(parseToolInput(null, [])).rejects.toEqual(new ToolInputRejected(['arguments must be an object']));
    await expect(parseToolInput(null, { x: 1 })).rejects.toMatchObject({ problems: ['property x should not exist'] });
    await expect(parseToolInput(null, undefined)).resolves.toEqual({});
  });
});

describe('data dictionary', () => {
  it.each([
    ['refund_date', 'on the day the refund happened'],
    ['order_date', 'on the day of the order they belong to (REFUND_ATTRIBUTION=order_date)'],
  ] as const)('states the refund attribution %s', (refundAttribution, text) => {
    const markdown = dataDictionary(
      { businessTimezone: 'America/New_York', baseCurrency: 'EUR', refundAttribution },
      {
        poolRate: 0.01,
        poolRateSource: 'set by the owner',
        averageBookMinutes: 480,
        cadence: 'monthly',
        updatedAt: null,
        updatedBy: null,
      },
    );
    expect(markdown).toContain(text);
    expect(markdown).toContain('Business time zone: **America/New_York**');
    expect(markdown).toContain('Base currency: **EUR**');
    expect(markdown).toContain('**$0.01 per minute**');
    expect(markdown).toContain('**480 minutes**');
  });
});
