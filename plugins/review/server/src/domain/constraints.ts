/**
 * The constraints a content type's schema declares on its attributes (`required`, `min`, `max`,
 * `minLength`, `maxLength`, `enum`, `regex`, integer types), read from the schema itself rather
 * than restated by hand, so a constraint added to `schema.json` is checked here too.
 *
 * Strapi skips `required`, `min`, `minLength` and `regex` when it stores a draft and enforces them
 * only at publication. Two questions follow, both answered here (pure):
 *
 * - `mode: 'publish'`: would publication accept these values? The submission checklist asks this of
 *   the course and each of its chapters, in each locale that will be published, so that an editor's
 *   approval can never fail on a value the instructor could have fixed.
 * - `mode: 'draft'`: is a value impossible, whatever else is filled in later (a negative price, a
 *   chapter position of 0)? Instructor writes ask this of the values they send and are refused at
 *   once. A value that is only incomplete (a missing slug, a title shorter than its minimum) is
 *   allowed in a draft: the checklist reports it at submission.
 */

/** The part of a Strapi attribute definition the constraints read. */
export interface AttributeSpec {
  type: string;
  required?: boolean;
  min?: number | string;
  max?: number | string;
  minLength?: number;
  maxLength?: number;
  enum?: readonly string[];
  regex?: string;
}

export interface Violation {
  field: string;
  /** Readable, naming the field: `price must be at least 0 (it is -5)`. */
  message: string;
}

const NUMBER_TYPES = new Set(['integer', 'biginteger', 'float', 'decimal']);
const INTEGER_TYPES = new Set(['integer', 'biginteger']);
const TEXT_TYPES = new Set(['string', 'text', 'richtext', 'email', 'password', 'uid', 'enumeration']);
/** Types whose value is a scalar stored on the row (relations, media, components and dynamic zones are not). */
const SCALAR_TYPES = new Set([...NUMBER_TYPES, ...TEXT_TYPES, 'boolean', 'date', 'datetime', 'time', 'json', 'blocks']);

export const isScalarAttribute = (a: AttributeSpec) => SCALAR_TYPES.has(a.type);

/** The scalar attributes of a schema that declare a constraint: the fields the checklist reads. */
export function constrainedFields(attributes: Record<string, AttributeSpec>): string[] {
  return Object.entries(attributes)
    .filter(([, a]) => isScalarAttribute(a) && hasConstraint(a))
    .map(([name]) => name);
}

function hasConstraint(a: AttributeSpec): boolean {
  return Boolean(
    a.required || a.min !== undefined || a.max !== undefined || a.minLength !== undefined || a.maxLength !== undefined || a.enum || a.regex || INTEGER_TYPES.has(a.type)
  );
}

const isEmpty = (v: unknown) => v === null || v === undefined || (typeof v === 'string' && v.trim().length === 0);
const quote = (v: unknown) => (typeof v === 'string' ? JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v) : String(v));

/** The violations of one attribute's value (an empty list when it is acceptable). */
export function attributeViolations(field: string, a: AttributeSpec, value: unknown, mode: 'publish' | 'draft'): Violation[] {
  if (!isScalarAttribute(a)) return [];
  const publish = mode === 'publish';
  if (isEmpty(value)) {
    return publish && a.required ? [{ field, message: `${field} is required` }] : [];
  }
  const out: Violation[] = [];
  if (NUMBER_TYPES.has(a.type)) {
    const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
    if (!Number.isFinite(n)) return [{ field, message: `${field} must be a number (it is ${quote(value)})` }];
    if (INTEGER_TYPES.has(a.type) && !Number.isInteger(n)) out.push({ field, message: `${field} must be a whole number (it is ${n})` });
    if (a.min !== undefined && n < Number(a.min)) out.push({ field, message: `${field} must be at least ${a.min} (it is ${n})` });
    if (a.max !== undefined && n > Number(a.max)) out.push({ field, message: `${field} must be at most ${a.max} (it is ${n})` });
    return out;
  }
  if (TEXT_TYPES.has(a.type) && typeof value === 'string') {
    const length = [...value].length;
    if (publish && a.minLength !== undefined && length < a.minLength) {
      out.push({ field, message: `${field} needs at least ${a.minLength} characters (it has ${length})` });
    }
    if (a.maxLength !== undefined && length > a.maxLength) {
      out.push({ field, message: `${field} may have at most ${a.maxLength} characters (it has ${length})` });
    }
    if (a.enum && !a.enum.includes(value)) out.push({ field, message: `${field} must be one of ${a.enum.join(', ')} (it is ${quote(value)})` });
    if (publish && a.regex && !new RegExp(a.regex).test(value)) out.push({ field, message: `${field} does not match the pattern ${a.regex}` });
    if (publish && a.type === 'uid' && !/^[A-Za-z0-9-_.~]*$/.test(value)) {
      out.push({ field, message: `${field} may contain only letters, digits, -, _, . and ~ (it is ${quote(value)})` });
    }
  }
  return out;
}

/**
 * Violations of a record against its schema. `publish` reads every constrained attribute (a missing
 * one is a missing value); `draft` reads only the attributes present in `values` (a partial write).
 */
export function violations(attributes: Record<string, AttributeSpec>, values: Record<string, unknown>, mode: 'publish' | 'draft'): Violation[] {
  const out: Violation[] = [];
  for (const [field, a] of Object.entries(attributes)) {
    if (mode === 'draft' && !(field in values)) continue;
    for (const v of attributeViolations(field, a, values[field], mode)) out.push(v);
  }
  return out;
}
