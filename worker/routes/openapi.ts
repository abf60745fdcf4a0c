// GET /api/openapi.json: the API described from the route table (worker/openapi.ts).
import { Hono } from 'hono';
import { openApiDocument } from '../openapi.js';

export function openApiRoutes() {
  let document: ReturnType<typeof openApiDocument> | undefined;
  return new Hono().get('/openapi.json', (c) => c.json((document ??= openApiDocument())));
}
