/**
 * Content that only the admin role may see (query text, chunk and document text, entity names and
 * aliases, user, memory and session identifiers). A read model wraps such a value with
 * `sensitive()`; the request path replaces every wrapped value before the data reaches a page,
 * with the value itself or with a redaction, by the viewer's role. The wrapper is a plain object so
 * it survives the copy out of the read worker; a page can only use the value once it is revealed.
 */
export interface Sensitive<Value extends string = string> {
  readonly $sensitive: Value;
}

export function sensitive<Value extends string>(value: Value): Sensitive<Value> {
  return { $sensitive: value };
}

export function sensitiveOrNull(value: string | null): Sensitive | null {
  return value === null ? null : sensitive(value);
}

/** A read model's data with every sensitive value replaced by a string. */
export type Revealed<T> =
  T extends Sensitive<infer Value>
    ? Value
    : T extends Date
      ? T
      : T extends ReadonlyArray<infer Item>
        ? Revealed<Item>[]
        : T extends object
          ? { [K in keyof T]: Revealed<T[K]> }
          : T;

function isSensitive(value: object): value is Sensitive {
  return Object.hasOwn(value, '$sensitive') && Object.keys(value).length === 1;
}

/** Replaces every sensitive value in `data`, however deep, by what `reveal` makes of it. */
export function revealSensitive<T>(data: T, reveal: (value: string) => string): Revealed<T> {
  const walk = (value: unknown): unknown => {
    if (value === null || typeof value !== 'object' || value instanceof Date) return value;
    if (Array.isArray(value)) return value.map(walk);
    if (isSensitive(value)) return reveal(value.$sensitive);
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, walk(item)]));
  };
  return walk(data) as Revealed<T>;
}
