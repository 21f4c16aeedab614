import { BadRequestException, ValidationPipe } from '@nestjs/common';
import { DECORATORS } from '@nestjs/swagger';
import { getMetadataStorage } from 'class-validator';
import { ClockQuery } from '../common/clock';

/** The request DTO of a REST endpoint, whose decorators say what a tool accepts. */
export type InputDto = new () => object;

/** The JSON Schema of a tool's arguments, as MCP's `tools/list` carries it. */
export interface ToolInputSchema {
  [key: string]: unknown;
  type: 'object';
  properties: Record<string, JsonSchemaProperty>;
  required?: string[];
  additionalProperties: false;
}

export interface JsonSchemaProperty {
  type: 'string' | 'integer' | 'number' | 'boolean' | 'array' | 'object';
  /** Of an array: the schema of its items. */
  items?: JsonSchemaProperty;
  /** Of an object (a nested DTO class): its fields, as for the arguments themselves. */
  properties?: Record<string, JsonSchemaProperty>;
  required?: string[];
  description?: string;
  enum?: readonly unknown[];
  minimum?: number;
  maximum?: number;
  default?: unknown;
  examples?: unknown[];
  format?: string;
}

interface ApiPropertyMetadata {
  type?: unknown;
  isArray?: boolean;
  description?: string;
  enum?: readonly unknown[];
  minimum?: number;
  maximum?: number;
  default?: unknown;
  example?: unknown;
  required?: boolean;
}

/** Shown only where the test clock is on (ALLOW_TEST_CLOCK); anywhere else `now` is refused, as in REST. */
const NOW_PROPERTY: JsonSchemaProperty = {
  type: 'string',
  format: 'date-time',
  description: 'Tests only: the instant to treat as now, ISO 8601 with offset',
};

/** Validators after which a JSON number must be whole (the REST DTOs' `@IsCount`, `@IsInt`). */
const INTEGER_VALIDATORS = new Set(['isCount', 'isInt']);

/**
 * A DTO's JSON Schema, read from the same `@ApiProperty` metadata that the Swagger document shows, so
 * that a parameter is described once. What the schema says is checked by `parseToolInput`, which runs
 * the DTO's class-validator rules: the schema is the description, the DTO the rule.
 */
export function inputSchemaOf(dto: InputDto | null, options: { testClock: boolean }): ToolInputSchema {
  const { properties, required } = dto ? fieldsOf(dto) : { properties: {}, required: [] };
  if (dto && options.testClock && (dto === ClockQuery || dto.prototype instanceof ClockQuery))
    properties.now = NOW_PROPERTY;
  return {
    type: 'object',
    properties,
    ...(required.length ? { required } : {}),
    additionalProperties: false,
  };
}

/** The `@ApiProperty` fields of a DTO class (or of a class a field is a list of). */
function fieldsOf(dto: InputDto): { properties: Record<string, JsonSchemaProperty>; required: string[] } {
  const properties: Record<string, JsonSchemaProperty> = {};
  const required: string[] = [];
  const keys: string[] = Reflect.getMetadata(DECORATORS.API_MODEL_PROPERTIES_ARRAY, dto.prototype) ?? [];
  const integers = new Set(
    getMetadataStorage()
      .getTargetValidationMetadatas(dto, '', true, false)
      .filter((rule) => INTEGER_VALIDATORS.has(rule.name ?? ''))
      .map((rule) => rule.propertyName),
  );
  for (const key of keys.map((k) => k.replace(/^:/, ''))) {
    const meta: ApiPropertyMetadata = Reflect.getMetadata(DECORATORS.API_MODEL_PROPERTIES, dto.prototype, key) ?? {};
    properties[key] = propertySchema(meta, integers.has(key));
    if (meta.required !== false) required.push(key);
  }
  return { properties, required };
}

function propertySchema(meta: ApiPropertyMetadata, integer: boolean): JsonSchemaProperty {
  const schema: JsonSchemaProperty = meta.isArray
    ? { type: 'array', items: valueSchema(meta.type, false) }
    : valueSchema(meta.type, integer);
  if (meta.description) schema.description = meta.description;
  if (meta.enum) schema.enum = meta.enum;
  if (meta.minimum !== undefined) schema.minimum = meta.minimum;
  if (meta.maximum !== undefined) schema.maximum = meta.maximum;
  if (meta.default !== undefined) schema.default = meta.default;
  if (meta.example !== undefined) schema.examples = [meta.example];
  return schema;
}

/** A scalar, or an object whose class carries `@ApiProperty` fields of its own. */
function valueSchema(type: unknown, integer: boolean): JsonSchemaProperty {
  if (typeof type === 'function' && Reflect.hasMetadata(DECORATORS.API_MODEL_PROPERTIES_ARRAY, type.prototype)) {
    const { properties, required } = fieldsOf(type as InputDto);
    return { type: 'object', properties, ...(required.length ? { required } : {}) };
  }
  return { type: integer ? 'integer' : jsonType(type) };
}

/** `integer` comes from the validators, since a property without a type annotation (`limit = 50`) shows as Object. */
function jsonType(type: unknown): JsonSchemaProperty['type'] {
  if (type === Number || type === 'number') return 'number';
  if (type === 'integer') return 'integer';
  if (type === Boolean || type === 'boolean') return 'boolean';
  if (type === String || type === 'string') return 'string';
  // Anything else (a bare Object or Array) would need a schema of its own: give the DTO field a type.
  throw new Error(`an MCP tool argument of type ${String(type)} has no JSON Schema`);
}

/** The REST API's ValidationPipe (bootstrap.ts): unknown fields refused, values transformed as for a query. */
const validation = new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true });

/** Why a tool's arguments were refused: one message per field, in the REST API's words. */
export class ToolInputRejected extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('; '));
  }
}

/** The arguments as an instance of the DTO, checked by its own rules, or `ToolInputRejected`. */
export async function parseToolInput<T extends object>(dto: (new () => T) | null, args: unknown): Promise<T> {
  const plain = args ?? {};
  if (typeof plain !== 'object' || Array.isArray(plain)) throw new ToolInputRejected(['arguments must be an object']);
  if (!dto) {
    const extra = Object.keys(plain);
    if (extra.length) throw new ToolInputRejected(extra.map((key) => `property ${key} should not exist`));
    return {} as T;
  }
  try {
    return (await validation.transform(plain, { type: 'query', metatype: dto })) as T;
  } catch (error) {
    if (!(error instanceof BadRequestException)) throw error;
    const message = (error.getResponse() as { message?: unknown }).message;
    throw new ToolInputRejected(Array.isArray(message) ? message.map(String) : [String(message ?? error.message)]);
  }
}
