import { applyDecorators } from '@nestjs/common';
import { ApiBody, ApiConsumes } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { errorFamily } from './domain-error.js';

export const uploadError = errorFamily({
  'upload.missing': 'invalid',
  'upload.too_large': 'invalid',
  'upload.malformed': 'invalid',
});

/**
 * Documents an upload route in the OpenAPI document: the media types it takes and the
 * `file` field (multipart; the other types carry the file as the whole body, which
 * `completeDocument` says per media type). The hostile-upload tests find upload routes by it.
 */
export function ApiUpload(...types: string[]) {
  return applyDecorators(
    ApiConsumes(...types),
    ApiBody({
      description: 'The file: a multipart field `file`, or the whole body',
      schema: {
        type: 'object',
        properties: { file: { type: 'string', format: 'binary' } },
        required: ['file'],
      },
    }),
  );
}

/**
 * The multipart field `file` of a request, with the name the client gave it. A multipart
 * body that cannot be read (no boundary, another boundary than declared: busboy's error, a
 * 500 before) and an empty file are the client's errors. `maxBytes`, below the app's upload
 * limit, stops reading a larger file there: it is refused without being held whole.
 */
export async function readFilePart(
  request: FastifyRequest,
  options: { maxBytes?: number } = {},
): Promise<{ content: Buffer; filename: string; fields: Record<string, string> }> {
  const { maxBytes } = options;
  let part: Awaited<ReturnType<FastifyRequest['file']>>;
  try {
    part = !request.isMultipart()
      ? undefined
      : await request.file(maxBytes ? { limits: { fileSize: maxBytes } } : undefined);
  } catch (error) {
    if (isClientError(error)) throw error;
    throw uploadError('upload.malformed', { field: 'file' });
  }
  if (!part || part.fieldname !== 'file') throw uploadError('upload.missing', { field: 'file' });
  let content: Buffer;
  try {
    content = await part.toBuffer();
  } catch (error) {
    if ((error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE')
      throw maxBytes
        ? uploadError('upload.too_large', {
            variant: 'limit',
            field: 'file',
            params: { megabytes: Math.round((maxBytes / 1024 / 1024) * 10) / 10 },
          })
        : uploadError('upload.too_large', { field: 'file' });
    if (isClientError(error)) throw error;
    throw uploadError('upload.malformed', { field: 'file' });
  }
  if (content.length === 0)
    throw uploadError('upload.missing', { variant: 'empty', field: 'file' });
  // Text fields sent before the file (a form's other inputs), as strings.
  const fields: Record<string, string> = {};
  for (const [name, field] of Object.entries(part.fields ?? {}))
    for (const one of Array.isArray(field) ? field : [field])
      if (one && one.type === 'field' && typeof one.value === 'string') fields[name] = one.value;
  return { content, filename: part.filename, fields };
}

const isClientError = (error: unknown) => {
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' && status >= 400 && status < 500;
};

/**
 * The uploaded file of a request: a multipart field `file`, or the raw body (text/csv,
 * XML, XLSX or octet-stream). Size limits are the multipart plugin's and the body limit.
 */
export async function readUpload(request: FastifyRequest): Promise<Buffer | string> {
  if (request.isMultipart()) return (await readFilePart(request)).content;
  const body = request.body;
  if (typeof body === 'string' || Buffer.isBuffer(body)) {
    if (body.length === 0) throw uploadError('upload.missing', { variant: 'empty', field: 'file' });
    return body;
  }
  throw uploadError('upload.missing', { variant: 'raw', field: 'file' });
}
