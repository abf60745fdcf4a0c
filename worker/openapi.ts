// The OpenAPI 3.1 document, made from the route table and its zod schemas (zod's own JSON
// Schema output), so it cannot say anything the code does not. Served at /api/openapi.json;
// docs/openapi.json is the same document, checked in and compared by a test.
import { z } from 'zod';
import { ERROR_STATUS } from './errors.js';
import { PROTOCOL_VERSION } from '../web/protocol/labels.js';
import { ROUTE_TABLE, routeParts, type RouteSpec } from './route-table.js';
import { responses } from './wire-responses.js';

type JsonSchema = Record<string, unknown>;

// Input shapes (what a client may send: coercions and defaults before they apply); refinements
// such as "base64url of 32 bytes" are in the descriptions of the fields, not in JSON Schema.
const schemaOf = (schema: z.ZodType, io: 'input' | 'output'): JsonSchema => {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any', reused: 'ref' }) as JsonSchema;
  return rest;
};

const SECURITY: Record<RouteSpec['caller'], Record<string, string[]>[] | undefined> = {
  anyone: undefined,
  work: [{ proofOfWork: [] }],
  mailbox: [{ mailboxProof: [] }],
  session: [{ bearer: [] }],
  admin: [{ bearer: [] }],
  link: undefined,
};

function parametersOf(spec: RouteSpec): JsonSchema[] {
  const list: JsonSchema[] = [];
  for (const [where, schema] of [['path', spec.params], ['query', spec.query]] as const) {
    if (!schema) continue;
    const properties = (schemaOf(schema, 'input').properties ?? {}) as Record<string, JsonSchema>;
    for (const [name, property] of Object.entries(properties)) list.push({ name, in: where, required: where === 'path', schema: property });
  }
  return list;
}

function operationOf(key: string, spec: RouteSpec): JsonSchema {
  const bytes = { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } };
  const okBody = spec.ok.body ? { content: { 'application/json': { schema: schemaOf(spec.ok.body, 'output') } } } : spec.ok.type === 'bytes' ? { content: bytes } : {};
  const security = SECURITY[spec.caller];
  return {
    summary: spec.summary,
    operationId: key.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_|_$/g, ''),
    'x-parley-caller': spec.caller,
    ...(security ? { security } : {}),
    ...(parametersOf(spec).length ? { parameters: parametersOf(spec) } : {}),
    ...(spec.body ? { requestBody: { required: true, content: { 'application/json': { schema: schemaOf(spec.body, 'input') } } } } : {}),
    ...(spec.bytesBody ? { requestBody: { required: true, content: bytes } } : {}),
    responses: {
      [String(spec.ok.status)]: { description: spec.ok.type === 'page' ? 'The page or file' : 'Success', ...okBody },
      default: { description: 'An error, in the one shape; `code` is one of the listed codes', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
    },
  };
}

export function openApiDocument(): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const [key, spec] of Object.entries(ROUTE_TABLE)) {
    const { method, path } = routeParts(key);
    const openApiPath = path.replace(/:([A-Za-z]+)/g, '{$1}');
    (paths[openApiPath] ??= {})[method.toLowerCase()] = operationOf(key, spec);
  }
  const error = schemaOf(responses.error, 'output');
  return {
    openapi: '3.1.0',
    info: { title: 'Parley', version: `protocol ${PROTOCOL_VERSION}`, description: 'Anonymous, end-to-end encrypted two-way reporting. Byte layouts and what clients verify: docs/PROTOCOL.md.' },
    paths,
    components: {
      schemas: { Error: { ...error, properties: { error: { ...(error.properties as JsonSchema).error as JsonSchema, properties: { code: { enum: Object.keys(ERROR_STATUS) }, message: { type: 'string' } } } } } },
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'A session token from POST /api/investigator/sessions' },
        proofOfWork: { type: 'apiKey', in: 'header', name: 'parley-challenge', description: 'A challenge from POST /api/mailbox/challenge, with its work in parley-work (docs/PROTOCOL.md §11)' },
        mailboxProof: { type: 'apiKey', in: 'header', name: 'parley-proof', description: 'The mailbox proof headers parley-mailbox, parley-challenge, parley-proof, parley-work (docs/PROTOCOL.md §10)' },
      },
    },
  };
}
