import { z } from 'zod';
import { isIsoInstant } from '../identity/preferences';

/** An entity reference: its id, name or alias. */
export const entityArg = z.string().min(1).max(500);

/** An ISO-8601 instant; anything else is the protocol's invalid-params error naming the argument. */
export const instantArg = z
  .string()
  .max(40)
  .refine(isIsoInstant, { message: 'must be an ISO-8601 instant such as 2026-11-01T10:00:00Z' });
