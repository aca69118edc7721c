import { ValidateIf } from 'class-validator';

/**
 * Makes a property required again in a DTO that extends one where it is optional.
 * class-validator inherits the parent's `@IsOptional()`, which would let a missing value
 * through to the database; a condition of the subclass's own replaces the inherited one
 * (conditions are matched by property and kind), so the property is always validated.
 */
export const Required = (): PropertyDecorator => ValidateIf(() => true);
