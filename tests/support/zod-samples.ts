import type * as z from 'zod';

/**
 * Valid samples and single-defect variants of a zod schema, read from the
 * schema itself, so table-driven tests cover a new channel or route without
 * anyone writing a case for it. A zod type this does not know fails loudly:
 * teach it the type rather than skip the schema.
 */

type Def = {
  type: string;
  shape?: Record<string, z.ZodType>;
  catchall?: z.ZodType;
  options?: z.ZodType[];
  innerType?: z.ZodType;
  values?: unknown[];
  entries?: Record<string, unknown>;
  defaultValue?: unknown;
};
type Any = z.ZodType & {
  minLength?: number | null;
  maxLength?: number | null;
  format?: string | null;
  minValue?: number | null;
  maxValue?: number | null;
  isInt?: boolean;
};
const finite = (n: number | null | undefined): n is number => typeof n === 'number' && Number.isFinite(n);

const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

export interface Defect {
  /** What is wrong, for the test name: "password: over-long (1025 chars)". */
  name: string;
  value: unknown;
}

export interface Boundary {
  name: string;
  value: unknown;
}

const unknownType = (type: string): never => {
  throw new Error(`zod-samples: no rule for zod type "${type}"; add one in tests/support/zod-samples.ts`);
};

/** A value of the right type and size for a string schema, `length` characters long when asked. */
function stringOf(schema: Any, length?: number): string {
  if (schema.format === 'uuid') return '3f2b8c1e-9a4d-4e6f-8b1a-2c3d4e5f6a7b';
  if (schema.format === 'email') return 'maman@instansi.go.id';
  const plain = 'a'.repeat(length ?? Math.max(schema.minLength ?? 1, 1));
  if (schema.format === 'regex') return [plain, 'A1', '0', 'a1', 'https://ams.example'].find((c) => schema.safeParse(c).success) ?? unknownType('string regex without a known sample');
  if (schema.format) return unknownType(`string format ${schema.format}`);
  return plain;
}

/** One valid value per branch of every union inside the schema (the first is the plainest). */
export function validSamples(schema: z.ZodType): unknown[] {
  const def = defOf(schema);
  switch (def.type) {
    case 'string':
      return [stringOf(schema as Any)];
    case 'boolean':
      return [true];
    case 'number': {
      const n = schema as Any;
      return [Math.min(Math.max(1, finite(n.minValue) ? n.minValue : 1), finite(n.maxValue) ? n.maxValue : 1)];
    }
    case 'literal':
      return [def.values![0]];
    case 'enum':
      return [Object.values(def.entries!)[0]];
    case 'null':
      return [null];
    case 'optional':
      return validSamples(def.innerType!);
    case 'nullable':
      return [...validSamples(def.innerType!), null];
    case 'default':
      return validSamples(def.innerType!);
    case 'union':
      return def.options!.flatMap((option) => validSamples(option));
    case 'object': {
      const entries = Object.entries(def.shape!);
      const base = Object.fromEntries(entries.map(([key, field]) => [key, validSamples(field)[0]]));
      const variants = entries.flatMap(([key, field]) => validSamples(field).slice(1).map((value) => ({ ...base, [key]: value })));
      return [base, ...variants];
    }
    default:
      return unknownType(def.type);
  }
}

/** A value no branch of the schema accepts because of its JavaScript type. */
function wrongType(schema: z.ZodType): unknown {
  return acceptsType(schema, 'string') ? 42 : 'not-the-right-type';
}

function acceptsType(schema: z.ZodType, type: string): boolean {
  const def = defOf(schema);
  if (def.type === 'optional' || def.type === 'default' || def.type === 'nullable') return acceptsType(def.innerType!, type);
  if (def.type === 'union') return def.options!.some((o) => acceptsType(o, type));
  if (def.type === 'literal') return def.values!.some((v) => typeof v === type);
  if (def.type === 'enum') return Object.values(def.entries!).some((v) => typeof v === type);
  return def.type === type;
}

const isOptional = (schema: z.ZodType) => ['optional', 'default'].includes(defOf(schema).type);
const unwrap = (schema: z.ZodType): z.ZodType => (isOptional(schema) || defOf(schema).type === 'nullable' ? unwrap(defOf(schema).innerType!) : schema);

/** For a valid object sample: the same object with exactly one thing wrong, at every depth. */
export function defectsOf(schema: z.ZodType, sample: unknown, path = ''): Defect[] {
  const def = defOf(unwrap(schema));
  const at = (key: string) => (path ? `${path}.${key}` : key);
  const label = path || '(input)';
  const defects: Defect[] = [{ name: `${label}: wrong type`, value: wrongType(schema) }];
  if (def.type === 'union') {
    // Defects of the branch this sample belongs to.
    const branch = def.options!.find((o) => o.safeParse(sample).success);
    return branch && defOf(branch).type === 'object' ? [...defects.slice(0, 1), ...defectsOf(branch, sample, path).slice(1)] : defects;
  }
  if (def.type === 'string') {
    const s = unwrap(schema) as Any;
    if (s.maxLength != null) defects.push({ name: `${label}: over-long (${s.maxLength + 1} chars)`, value: 'a'.repeat(s.maxLength + 1) });
    if (s.minLength != null && s.minLength > 0) defects.push({ name: `${label}: too short (${s.minLength - 1} chars)`, value: 'a'.repeat(s.minLength - 1) });
    if (s.format) defects.push({ name: `${label}: not a ${s.format}`, value: '!not-a-' + s.format });
  }
  if (def.type === 'number') {
    const n = unwrap(schema) as Any;
    if (finite(n.maxValue)) defects.push({ name: `${label}: above ${n.maxValue}`, value: n.maxValue + 1 });
    if (finite(n.minValue)) defects.push({ name: `${label}: below ${n.minValue}`, value: n.minValue - 1 });
    if (n.isInt) defects.push({ name: `${label}: not an integer`, value: 1.5 });
  }
  if (def.type === 'object') {
    const object = sample as Record<string, unknown>;
    // Only strict objects refuse unknown fields; the others drop them.
    if (def.catchall && defOf(def.catchall).type === 'never') defects.push({ name: `${label}: extra field`, value: { ...object, unexpectedField: true } });
    for (const [key, field] of Object.entries(def.shape!)) {
      if (!isOptional(field)) {
        const { [key]: _dropped, ...rest } = object;
        defects.push({ name: `${at(key)}: missing`, value: rest });
      }
      if (!(key in object)) continue;
      for (const inner of defectsOf(field, object[key], at(key)).filter((d) => !(isOptional(field) && d.value === undefined))) {
        defects.push({ name: inner.name, value: { ...object, [key]: inner.value } });
      }
    }
  }
  return defects;
}

/** Valid values exactly at each string length limit of the sample's fields. */
export function boundariesOf(schema: z.ZodType, sample: unknown, path = ''): Boundary[] {
  const def = defOf(unwrap(schema));
  const label = path || '(input)';
  if (def.type === 'union') {
    const branch = def.options!.find((o) => o.safeParse(sample).success);
    return branch ? boundariesOf(branch, sample, path) : [];
  }
  if (def.type === 'number') {
    const n = unwrap(schema) as Any;
    return [n.minValue, n.maxValue].filter(finite).map((v) => ({ name: `${label}: exactly ${v}`, value: v }));
  }
  if (def.type === 'string') {
    const s = unwrap(schema) as Any;
    if (s.format) return [];
    const out: Boundary[] = [];
    if (s.maxLength != null) out.push({ name: `${label}: exactly ${s.maxLength} chars`, value: stringOf(s, s.maxLength) });
    if (s.minLength != null && s.minLength > 0) out.push({ name: `${label}: exactly ${s.minLength} chars`, value: stringOf(s, s.minLength) });
    return out;
  }
  if (def.type === 'object') {
    const object = sample as Record<string, unknown>;
    return Object.entries(def.shape!).flatMap(([key, field]) =>
      key in object ? boundariesOf(field, object[key], path ? `${path}.${key}` : key).map((b) => ({ name: b.name, value: { ...object, [key]: b.value } })) : [],
    );
  }
  return [];
}
