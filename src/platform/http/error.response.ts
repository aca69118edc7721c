import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { ErrorBody } from './http-exception.filter.js';

/** One field at fault in a refused request. */
export class ErrorFieldResponse {
  /** The field, as the client sent it (a dotted path inside a nested body, e.g. `options.0.text`) */
  field: string;
  /** Why it was refused, in the caller's language */
  reason: string;
  /** The rule that refused it, when the validation pipe did (`validation.isInt`, `validation.whitelistValidation`) */
  code?: string;
}

/**
 * The one error shape (DESIGN.md, HTTP surface): every 4xx and 5xx of the API answers with
 * it. The OpenAPI document gives it to every operation's error responses (ADR 0037).
 */
export class ErrorResponse implements ErrorBody {
  /** The HTTP status, repeated */
  @ApiProperty({ example: 400 })
  statusCode: number;
  /** The status's reason phrase */
  @ApiProperty({ example: 'Bad Request' })
  error: string;
  /** What went wrong, in the caller's language (`Accept-Language`, Bahasa Indonesia first) */
  message: string;
  /** A stable code a client can branch on (`attempt.time-up`), for domain errors */
  code?: string;
  /** The fields at fault, for invalid input */
  errors?: ErrorFieldResponse[];
  /** What a client can act on, when the error has it (e.g. `remainingSeconds`) */
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { oneOf: [{ type: 'string', nullable: true }, { type: 'number' }] },
  })
  details?: Record<string, string | number | null>;
  /** The request's id (the `x-request-id` header), to quote to support */
  requestId?: string;
}
