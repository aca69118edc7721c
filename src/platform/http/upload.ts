import type { FastifyRequest } from 'fastify';
import { errorFamily } from './domain-error.js';

const uploadError = errorFamily({ 'upload.missing': 'invalid', 'upload.too_large': 'invalid' });

/**
 * The uploaded file of a request: a multipart field `file`, or the raw body (text/csv,
 * XML, XLSX or octet-stream). Size limits are the multipart plugin's and the body limit.
 */
export async function readUpload(request: FastifyRequest): Promise<Buffer | string> {
  if (request.isMultipart()) {
    const part = await request.file();
    if (!part || part.fieldname !== 'file')
      throw uploadError('upload.missing', 'Lampirkan berkas pada kolom "file"', 'file');
    try {
      return await part.toBuffer();
    } catch {
      throw uploadError('upload.too_large', 'Berkas terlalu besar (maksimal 5 MB)', 'file');
    }
  }
  const body = request.body;
  if (typeof body === 'string' || Buffer.isBuffer(body)) {
    if (body.length === 0) throw uploadError('upload.missing', 'Berkas kosong', 'file');
    return body;
  }
  throw uploadError(
    'upload.missing',
    'Kirim berkas sebagai isi permintaan (text/csv) atau multipart dengan kolom "file"',
    'file',
  );
}
