import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, getSchemaPath, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { CORE_VERSION } from '../../registry/core-version.js';
import { ERROR_MEANING, ERRORS_EXTENSION } from './api-errors.decorator.js';
import { ErrorFieldResponse, ErrorResponse } from './error.response.js';

/** The extension `@Public()` leaves on an operation, read and removed by `completeDocument`. */
export const PUBLIC_EXTENSION = 'x-public';

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;
const WRITES = new Set(['post', 'put', 'patch', 'delete']);

type Operation = {
  parameters?: { in: string }[];
  requestBody?: unknown;
  responses: Record<string, { description?: string; content?: Record<string, unknown> }>;
  security?: Record<string, string[]>[];
  [extension: `x-${string}`]: unknown;
};

/**
 * The API's OpenAPI document, as served at `/api/docs-json` (ADR 0037): what the Swagger
 * explorer reads from the controllers and `src/metadata.ts`, then completed by
 * `completeDocument`.
 */
export function createOpenApiDocument(app: INestApplication): OpenAPIObject {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Sertifikasi ASN API')
      .setDescription(
        'Competency development and certification for the ASN of Padangsidempuan. ' +
          'Every error answers with `ErrorResponse`; a route without a security requirement is public.',
      )
      .setVersion(CORE_VERSION)
      .setLicense('MIT', 'https://opensource.org/license/mit')
      .addServer('/')
      .addBearerAuth()
      .addSecurityRequirements('bearer')
      .build(),
    { extraModels: [ErrorResponse, ErrorFieldResponse] },
  );
  return completeDocument(document);
}

/**
 * What the document says the same way for every operation, so no route can forget it:
 * - security: the global guard denies any route without `@Public()`, so every operation
 *   needs the bearer token (the document's default) except a public one, whose security
 *   requirement is empty (`security: []`, OpenAPI's "no authentication");
 * - errors: each answers with the one error shape; the statuses follow from the
 *   operation's shape (400 when it takes input, 401/403 when it needs a token, 404 with a
 *   path parameter, 409/422 on a write, 503 always), plus those declared with `@ApiErrors`
 *   or `@ApiResponse`, whose content is filled in when they have none.
 */
export function completeDocument(document: OpenAPIObject): OpenAPIObject {
  const error = { 'application/json': { schema: { $ref: getSchemaPath(ErrorResponse) } } };
  for (const item of Object.values(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method] as Operation | undefined;
      if (!operation) continue;
      const isPublic = operation[PUBLIC_EXTENSION] === true;
      delete operation[PUBLIC_EXTENSION];
      operation.security = isPublic ? [] : [{ bearer: [] }];

      rawUploadBodies(operation.requestBody as RequestBody | undefined);
      const parameters = [...(item.parameters ?? []), ...(operation.parameters ?? [])] as {
        in: string;
      }[];
      const statuses = new Set<number>([503, ...((operation[ERRORS_EXTENSION] as number[]) ?? [])]);
      delete operation[ERRORS_EXTENSION];
      if (operation.requestBody || parameters.length) statuses.add(400);
      if (!isPublic) [401, 403].forEach((s) => statuses.add(s));
      if (parameters.some((p) => p.in === 'path')) statuses.add(404);
      if (WRITES.has(method) && !isPublic) [409, 422].forEach((s) => statuses.add(s));
      for (const status of statuses) operation.responses[status] ??= {};
      for (const [status, response] of Object.entries(operation.responses)) {
        if (!/^[45]\d\d$/.test(status)) continue;
        response.description ||= ERROR_MEANING[Number(status)] ?? 'An error';
        response.content ??= error;
      }
      operation.responses = Object.fromEntries(
        Object.entries(operation.responses).sort(([a], [b]) => a.localeCompare(b)),
      );
    }
  }
  return document;
}

type RequestBody = { content?: Record<string, { schema?: Record<string, unknown> }> };

/**
 * `@ApiUpload` names one body, a multipart field `file`; the other media types it takes carry
 * the file as the whole body: text (GIFT, CSV, Moodle XML) as a string, anything else as
 * bytes. A generated client then sends `text/plain` as text, not `{ file }` as JSON.
 */
function rawUploadBodies(body: RequestBody | undefined): void {
  for (const [type, media] of Object.entries(body?.content ?? {})) {
    const file = (media.schema?.properties as Record<string, { format?: string }> | undefined)
      ?.file;
    if (type === 'multipart/form-data' || file?.format !== 'binary') continue;
    const text = type.startsWith('text/') || type === 'application/xml';
    media.schema = text ? { type: 'string' } : { type: 'string', format: 'binary' };
  }
}

/** What an operation misses for the document to be complete, one line each (`npm run openapi:check`). */
export function missingInOperations(document: OpenAPIObject): string[] {
  const missing: string[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method] as (Operation & { summary?: string }) | undefined;
      if (!operation) continue;
      const name = `${method.toUpperCase()} ${path}`;
      const responses = Object.entries(operation.responses ?? {});
      const success = responses.filter(([status]) => /^2\d\d$/.test(status));
      if (!success.some(([status, r]) => status === '204' || Object.keys(r.content ?? {}).length))
        missing.push(
          `${name}: no success body — return a \`*.response.ts\` class (then \`npm run openapi:metadata\`), ` +
            'use `@ApiFileResponse([...media types])` for a file, or `@HttpCode(204)` for none',
        );
      if (!operation.summary?.trim())
        missing.push(
          `${name}: no summary — write a one-line TSDoc comment above the method (then \`npm run openapi:metadata\`)`,
        );
      const errors = responses.filter(([status]) => /^[45]\d\d$/.test(status));
      if (!errors.length || errors.some(([, r]) => !Object.keys(r.content ?? {}).length))
        missing.push(
          `${name}: error responses without a body — declare them with \`@ApiErrors(...)\``,
        );
    }
  }
  return missing;
}
