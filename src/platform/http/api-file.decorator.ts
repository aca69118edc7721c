import { applyDecorators, Type } from '@nestjs/common';
import {
  ApiExtraModels,
  ApiOkResponse,
  ApiProduces,
  ApiResponse,
  getSchemaPath,
} from '@nestjs/swagger';

export const CSV = 'text/csv';
export const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const PDF = 'application/pdf';
export const ZIP = 'application/zip';

/**
 * A route that answers with a file (PDF, CSV, XLSX, an upload): OpenAPI names its media
 * types with a binary body, where a JSON route names its response class. `json`: the class
 * of the same route's JSON answer (`array`: a list of them), when a `?format=` chooses
 * between JSON and a file. `text`: the body is text (a VC-JWT), not bytes.
 */
export function ApiFileResponse(
  mediaTypes: string[],
  options: { json?: Type; array?: boolean; text?: boolean; description?: string } = {},
): MethodDecorator & ClassDecorator {
  const { json, array = false, text = false, description = 'The file, as a download' } = options;
  // A text answer (a VC-JWT) is a string; anything else is bytes.
  const file = { schema: text ? { type: 'string' } : { type: 'string', format: 'binary' } };
  const content: Record<string, object> = Object.fromEntries(mediaTypes.map((t) => [t, file]));
  if (json) {
    const ref = { $ref: getSchemaPath(json) };
    content['application/json'] = { schema: array ? { type: 'array', items: ref } : ref };
  }
  return applyDecorators(
    ...(json ? [ApiExtraModels(json)] : []),
    ApiProduces(...(json ? ['application/json', ...mediaTypes] : mediaTypes)),
    ApiOkResponse({ description, content }),
  );
}

/** A route whose JSON answer is one of several classes (`oneOf`), with its status. */
export function ApiOneOfResponse(
  status: number,
  classes: Type[],
  description?: string,
): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiExtraModels(...classes),
    ApiResponse({
      status,
      description,
      schema: { oneOf: classes.map((c) => ({ $ref: getSchemaPath(c) })) },
    }),
  );
}
