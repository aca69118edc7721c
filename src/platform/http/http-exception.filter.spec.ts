import { BadRequestException, NotFoundException } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { DomainError, errorFamily } from './domain-error.js';
import { HttpExceptionFilter } from './http-exception.filter.js';

const request = { id: 'req-1', method: 'GET', url: '/x', headers: {} } as unknown as FastifyRequest;
const filter = new HttpExceptionFilter();

describe('HttpExceptionFilter.toBody', () => {
  it('maps domain error kinds to statuses', () => {
    expect(
      filter.toBody(new DomainError('refused', 'attempt.time_up', 'Waktu habis'), request),
    ).toEqual(
      expect.objectContaining({
        statusCode: 422,
        error: 'Unprocessable Entity',
        message: 'Waktu habis',
        code: 'attempt.time_up',
      }),
    );
    expect(
      filter.toBody(new DomainError('invalid', 'user.nip', 'NIP tidak sah', 'nip'), request).errors,
    ).toEqual([{ field: 'nip', reason: 'NIP tidak sah' }]);
  });

  it("answers a domain error from the catalogue, in the caller's language", () => {
    const courseError = errorFamily({
      'course.not_found': 'not_found',
      'course.invalid': 'invalid',
    });
    const english = { ...request, headers: { 'accept-language': 'en' } } as FastifyRequest;
    const lesson = courseError('course.not_found', { variant: 'lesson' });
    expect(lesson.message).toBe('Pelajaran tidak ditemukan');
    expect(filter.toBody(lesson, request)).toEqual(
      expect.objectContaining({ message: 'Pelajaran tidak ditemukan', code: 'course.not_found' }),
    );
    expect(filter.toBody(lesson, english).message).toBe('Lesson not found');
    const sector = courseError('course.invalid', {
      variant: 'sector',
      field: 'sector',
      params: { sector: 'hutan' },
    });
    expect(filter.toBody(sector, english)).toEqual(
      expect.objectContaining({
        statusCode: 400,
        message: 'Unknown sector "hutan"',
        errors: [{ field: 'sector', reason: 'Unknown sector "hutan"' }],
      }),
    );
    // A code the core catalogue lacks (a sector's own) keeps its thrower's message.
    const practiceError = errorFamily({ 'health.observer': 'invalid' });
    expect(
      filter.toBody(practiceError('health.observer', 'Asesor belum dicatat'), english).message,
    ).toBe('Asesor belum dicatat');
  });

  it('keeps HTTP exceptions and their field list', () => {
    const body = filter.toBody(
      new BadRequestException({
        message: 'name: wajib',
        errors: [{ field: 'name', reason: 'wajib' }],
      }),
      request,
    );
    expect(body).toEqual(
      expect.objectContaining({
        statusCode: 400,
        message: 'name: wajib',
        errors: [{ field: 'name', reason: 'wajib' }],
      }),
    );
    expect(filter.toBody(new NotFoundException(), request).statusCode).toBe(404);
  });

  it('turns unique violations of either engine into 409', () => {
    expect(filter.toBody({ code: 'ER_DUP_ENTRY' }, request).statusCode).toBe(409);
    expect(
      filter.toBody({ driverError: { code: 'SQLITE_CONSTRAINT_UNIQUE' } }, request).statusCode,
    ).toBe(409);
  });

  it('never sends the message of an unknown error', () => {
    const body = filter.toBody(new Error('password for root@db is hunter2'), request);
    expect(body).toEqual({
      statusCode: 500,
      error: 'Internal Server Error',
      message: expect.stringContaining('req-1'),
      requestId: 'req-1',
    });
    expect(JSON.stringify(body)).not.toContain('hunter2');
  });

  it('turns a database that is down into a 503 that names neither host nor driver', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 10.0.0.5:3306'), {
      code: 'ECONNREFUSED',
      fatal: true,
    });
    const body = filter.toBody(refused, request);
    expect(body).toEqual({
      statusCode: 503,
      error: 'Service Unavailable',
      message: 'Basis data sedang tidak dapat dihubungi; silakan coba lagi sebentar lagi',
      code: 'database.unavailable',
      requestId: 'req-1',
    });
    expect(JSON.stringify(body)).not.toContain('10.0.0.5');
    // A query cut off by the server's going away (TypeORM wraps the driver's error).
    expect(
      filter.toBody({ driverError: { code: 'PROTOCOL_CONNECTION_LOST', fatal: true } }, request)
        .statusCode,
    ).toBe(503);
    const english = { ...request, headers: { 'accept-language': 'en' } } as FastifyRequest;
    expect(filter.toBody(refused, english).message).toBe(
      'The database cannot be reached right now; please try again in a moment',
    );
    // A query the database refused is still the server's fault, not an outage.
    expect(filter.toBody({ code: 'ER_PARSE_ERROR', fatal: false }, request).statusCode).toBe(500);
  });

  it('keeps client errors raised by the HTTP layer as 4xx', () => {
    expect(
      filter.toBody({ statusCode: 415, code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE' }, request)
        .statusCode,
    ).toBe(415);
  });
});
