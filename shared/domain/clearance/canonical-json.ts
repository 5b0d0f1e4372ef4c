/**
 * Canonical JSON: one byte-exact text per JSON value, so that a hash over it does not depend on key order, on
 * which store the value went through, or on the JavaScript engine. It is RFC 8785 (JSON Canonicalization Scheme,
 * JCS) for the values the decision log holds, which an auditor can reproduce with any JCS library:
 *
 * - objects: members sorted by key, comparing UTF-16 code units (JavaScript's default sort, as JCS says); members
 *   whose value is `undefined` are left out, so an absent optional field and one set to `undefined` are the same;
 * - arrays: in order; an `undefined` element is an error (JSON.stringify would quietly turn it into `null`);
 * - strings: JSON string escaping as ECMAScript's `JSON.stringify` does it (what JCS prescribes);
 * - numbers: ECMAScript's shortest round-trip form (`1`, `0.1`, `1e+21`); `-0` is written `0`; `NaN` and
 *   infinities are errors;
 * - `true`, `false`, `null`; no whitespace anywhere.
 *
 * Anything that is not plain JSON data (bigint, function, symbol, Date, Map, class instances, cycles) is refused
 * with a `TypeError` rather than given some serialisation a verifier elsewhere might not reproduce.
 */

export type JsonValue = null | boolean | number | string | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/** The canonical JSON text of `value` (see the module comment for the rules). */
export function canonicalJson(value: unknown): string {
  return write(value, '$', new Set());
}

function write(value: unknown, path: string, ancestors: Set<object>): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'string':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`${path}: ${value} has no JSON form`);
      // JSON.stringify writes -0 as 0 and otherwise uses Number::toString, which is what JCS prescribes.
      return JSON.stringify(value);
    case 'object':
      return writeContainer(value, path, ancestors);
    default:
      throw new TypeError(`${path}: a ${typeof value} has no JSON form`);
  }
}

function writeContainer(value: object, path: string, ancestors: Set<object>): string {
  if (ancestors.has(value)) throw new TypeError(`${path}: a cycle has no JSON form`);
  ancestors.add(value);
  try {
    if (Array.isArray(value)) {
      const parts = value.map((element: unknown, i) => {
        if (element === undefined) throw new TypeError(`${path}[${i}]: undefined has no JSON form`);
        return write(element, `${path}[${i}]`, ancestors);
      });
      return `[${parts.join(',')}]`;
    }
    // Plain means the prototype is null or a root prototype: Object.prototype of this or another realm (objects
    // from structuredClone or a vm context have another realm's), never Date.prototype, Map.prototype or a class.
    const proto: object | null = Object.getPrototypeOf(value);
    if (proto !== null && Object.getPrototypeOf(proto) !== null) {
      throw new TypeError(`${path}: only plain objects have a canonical JSON form`);
    }
    const record = value as Record<string, unknown>;
    // Object.keys lists an own "__proto__" key too (JSON.parse creates one), so such data is hashed, not lost.
    const members = Object.keys(record)
      .sort()
      .filter((key) => record[key] !== undefined)
      .map((key) => `${JSON.stringify(key)}:${write(record[key], `${path}.${key}`, ancestors)}`);
    return `{${members.join(',')}}`;
  } finally {
    ancestors.delete(value);
  }
}
