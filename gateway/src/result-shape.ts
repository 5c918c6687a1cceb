import {
  ERRORS,
  isCompositeType,
  isEnumType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  isSubtype,
  isValidLeafValue,
  Variable,
  type EnumType,
  type Operation,
  type ScalarType,
  type Schema,
  type SelectionSet,
  type Type,
} from '@apollo/federation-internals';
import { GraphQLError } from 'graphql';

/**
 * The client's answer cut out of the data the subgraphs returned: the same
 * algorithm as @apollo/gateway's `computeResponse` (resultShaping.ts, 2.14),
 * so answers stay byte-identical to stock, but compiled once per operation
 * instead of walking federation-internals' `Operation` objects (and looking
 * up @skip/@include directives) on every request.
 *
 * Field order follows the operation as federation-internals normalizes it,
 * aliases are applied, `__typename` is filled in, fields fetched only to join
 * (keys, @requires inputs) are dropped, and a null in a non-null position
 * bubbles up to the nearest nullable parent with an INVALID_GRAPHQL error,
 * all as stock does.
 */
type TypeRef =
  | { kind: 'nonNull'; of: TypeRef; text: string }
  | { kind: 'list'; of: TypeRef; text: string }
  | { kind: 'composite'; name: string; text: string }
  | { kind: 'leaf'; type: ScalarType | EnumType; text: string };

/** `@skip(if:)` / `@include(if:)` of one selection: a literal or a variable name. */
interface Conditions {
  skip?: boolean | string;
  include?: boolean | string;
}

type CompiledSelection =
  | { kind: 'field'; responseName: string; isTypename: boolean; type: TypeRef; selections?: CompiledSelection[]; conditions?: Conditions }
  | { kind: 'fragment'; typeCondition?: string; selections: CompiledSelection[]; conditions?: Conditions };

/** Thrown at compile time for what only the stock executor handles (introspection). */
export class UnsupportedOperation extends Error {}

export interface ShapedResult {
  data: Record<string, unknown> | null;
  errors: GraphQLError[];
}

export class ResultShape {
  readonly #schema: Schema;
  readonly #root: CompiledSelection[];
  readonly #rootType: string;
  readonly #defaultedVariables: Record<string, unknown>;
  /** Memo of type-condition checks and type lookups by name (a handful of types per operation). */
  readonly #applies = new Map<string, boolean>();

  constructor(operation: Operation) {
    this.#schema = operation.schema();
    this.#rootType = this.#schema.schemaDefinition.rootType(operation.rootKind)!.name;
    this.#defaultedVariables = operation.collectDefaultedVariableValues();
    this.#root = this.#compileSet(operation.selectionSet);
  }

  #compileType(type: Type): TypeRef {
    const text = type.toString();
    if (isNonNullType(type)) return { kind: 'nonNull', of: this.#compileType(type.ofType), text };
    if (isListType(type)) return { kind: 'list', of: this.#compileType(type.ofType), text };
    if (isCompositeType(type)) return { kind: 'composite', name: type.name, text };
    if (isScalarType(type) || isEnumType(type)) return { kind: 'leaf', type, text };
    throw new UnsupportedOperation(`unexpected output type ${text}`);
  }

  #compileConditions(element: { appliedDirectivesOf(d: unknown): readonly { arguments(): Record<string, unknown> }[] }): Conditions | undefined {
    const read = (directive: unknown): boolean | string | undefined => {
      const applied = element.appliedDirectivesOf(directive)[0];
      if (!applied) return undefined;
      const value = applied.arguments().if;
      return value instanceof Variable ? value.name : Boolean(value);
    };
    const skip = read(this.#schema.skipDirective());
    const include = read(this.#schema.includeDirective());
    return skip === undefined && include === undefined ? undefined : { skip, include };
  }

  #compileSet(selectionSet: SelectionSet): CompiledSelection[] {
    return selectionSet.selections().map((selection): CompiledSelection => {
      const conditions = this.#compileConditions(selection.element as never);
      if (selection.kind === 'FieldSelection') {
        const field = selection.element;
        if (field.definition.isSchemaIntrospectionField()) throw new UnsupportedOperation('introspection');
        // Output objects are plain `{}` (see #newObject): an alias `__proto__` would set a prototype instead of a field.
        if (field.responseName() === '__proto__') throw new UnsupportedOperation('a field answered as __proto__');
        return {
          kind: 'field',
          responseName: field.responseName(),
          isTypename: field.name === '__typename',
          type: this.#compileType(field.definition.type!),
          selections: selection.selectionSet ? this.#compileSet(selection.selectionSet) : undefined,
          conditions,
        };
      }
      return { kind: 'fragment', typeCondition: selection.element.typeCondition?.name, selections: this.#compileSet(selection.selectionSet), conditions };
    });
  }

  /** Shapes `input` (the merged subgraph data) for the client. */
  compute(input: Record<string, unknown>, variables: Record<string, unknown> | undefined): ShapedResult {
    const run: Run = { variables: { __proto__: null, ...this.#defaultedVariables, ...variables }, errors: [], path: [], invalid: false, hasErrors: false };
    const data = {} as Record<string, unknown>;
    const bubbled = this.#applySet(input, this.#root, data, run, this.#rootType);
    return { data: bubbled ? null : data, errors: run.errors };
  }

  #skipped(conditions: Conditions, variables: Record<string, unknown>): boolean {
    const value = (c: boolean | string) => {
      if (typeof c === 'boolean') return c;
      const v = variables[c];
      if (typeof v !== 'boolean') throw new Error(`Unexpected value ${v} for variable $${c}`);
      return v;
    };
    return (conditions.skip !== undefined && value(conditions.skip)) || (conditions.include !== undefined && !value(conditions.include));
  }

  /** isSubtype(typeCondition, type named `name`), memoized. */
  #conditionApplies(condition: string, name: string): boolean {
    const key = `${condition}\u0000${name}`;
    let applies = this.#applies.get(key);
    if (applies === undefined) {
      const type = this.#schema.type(name);
      const conditionType = this.#schema.type(condition);
      applies = !!type && !!conditionType && isSubtype(conditionType, type);
      this.#applies.set(key, applies);
    }
    return applies;
  }

  #typeIs(name: string, test: 'exists' | 'object' | 'composite'): boolean {
    const key = `${test}\u0000${name}`;
    let result = this.#applies.get(key);
    if (result === undefined) {
      const type = this.#schema.type(name);
      result = test === 'exists' ? !!type : test === 'object' ? !!type && isObjectType(type) : !!type && isCompositeType(type);
      this.#applies.set(key, result);
    }
    return result;
  }

  /** Returns true when a null must bubble up past this object. */
  #applySet(input: Record<string, unknown>, selections: CompiledSelection[], output: Record<string, unknown>, run: Run, parentType: string): boolean {
    for (const selection of selections) {
      if (selection.conditions && this.#skipped(selection.conditions, run.variables)) continue;
      if (selection.kind === 'field') {
        const responseName = selection.responseName;
        const outputValue = output[responseName];
        let inputValue = (Object.hasOwn(input, responseName) ? input[responseName] : undefined) ?? null;
        if (selection.isTypename) {
          if (outputValue === undefined) {
            if (inputValue === null && responseName !== '__typename') inputValue = input.__typename ?? null;
            const typeName = typeof inputValue === 'string' && this.#typeIs(inputValue, 'exists') ? inputValue : parentType;
            if (!this.#typeIs(typeName, 'object')) return true;
            output[responseName] = typeName;
          }
          continue;
        }
        run.path.push(responseName);
        output[responseName] = this.#update(outputValue, selection.type, inputValue, selection.selections, run, parentType);
        run.path.pop();
        if (run.invalid) return true;
      } else {
        const typename = input.__typename;
        if (typename !== undefined && typeof typename !== 'string') throw new Error(`Got unexpected value for __typename: ${typename}`);
        const condition = selection.typeCondition;
        if (!condition || this.#conditionApplies(condition, typename ? typename : parentType)) {
          if (this.#applySet(input, selection.selections, output, run, condition ?? parentType)) return true;
        }
      }
    }
    return false;
  }

  #describe(path: (string | number)[], currentType: string, parentType: string): string {
    const element = path[path.length - 1];
    return typeof element === 'string' ? `field ${parentType}.${element}` : `array element of type ${currentType} at index ${element}`;
  }

  /**
   * Shapes one value; sets `run.invalid` (a null that must bubble past the
   * parent) and `run.hasErrors` for the value it returns, which the caller
   * reads at once (no result object per value).
   */
  #update(outputValue: unknown, type: TypeRef, inputValue: unknown, selections: CompiledSelection[] | undefined, run: Run, parentType: string): unknown {
    if (outputValue === null || (outputValue !== undefined && !selections)) return valid(run, outputValue);
    switch (type.kind) {
      case 'nonNull': {
        const inner = this.#update(outputValue, type.of, inputValue, selections, run, parentType);
        if (inner === null) {
          if (!run.hasErrors) {
            run.errors.push(ERRORS.INVALID_GRAPHQL.err(`Cannot return null for non-nullable ${this.#describe(run.path, type.of.text, parentType)}.`, { path: Array.from(run.path) }));
          }
          run.invalid = true;
          run.hasErrors = true;
          return null;
        }
        return valid(run, inner);
      }
      case 'list': {
        if (inputValue === null) return valid(run, null);
        if (!Array.isArray(inputValue)) throw new Error(`Invalid non-list value ${inputValue} returned by subgraph for list type ${type.text}`);
        const outputList = outputValue === undefined ? new Array(inputValue.length).fill(undefined) : (outputValue as unknown[]);
        if (inputValue.length !== outputList.length) throw new Error(`[${inputValue}].length (${inputValue.length}) !== [${outputList}].length (${outputList.length})`);
        let shouldNullify = false;
        let hasErrors = false;
        const updated = new Array(outputList.length);
        for (let i = 0; i < outputList.length; i++) {
          run.path.push(i);
          updated[i] = this.#update(outputList[i], type.of, inputValue[i], selections, run, parentType);
          run.path.pop();
          shouldNullify ||= run.invalid;
          hasErrors ||= run.hasErrors;
        }
        run.invalid = false;
        run.hasErrors = hasErrors;
        return shouldNullify ? null : updated;
      }
      case 'composite': {
        if (inputValue === null) return valid(run, null);
        if (typeof inputValue !== 'object') throw new Error(`Invalid non-object value ${inputValue} returned by subgraph for composite type ${type.text}`);
        const object = inputValue as Record<string, unknown>;
        const inputTypename = object.__typename;
        if (inputTypename !== undefined && typeof inputTypename !== 'string') throw new Error(`Invalid non-string value ${inputTypename} for __typename at ${run.path}`);
        let objectType = type.name;
        if (inputTypename) {
          if (!this.#typeIs(inputTypename, 'composite')) {
            run.errors.push(ERRORS.INVALID_GRAPHQL.err(`Invalid __typename found for object at ${this.#describe(run.path, type.text, parentType)}.`, { path: Array.from(run.path) }));
            run.invalid = false;
            run.hasErrors = true;
            return null;
          }
          objectType = inputTypename;
        }
        // A plain object literal, not Object.create(null): V8 keeps it in fast mode (one hidden class per
        // selection, shared by every object of a list), which JSON.stringify and field writes are several
        // times faster on than on dictionary-mode objects. Safe since no response name is `__proto__` (#compileSet).
        const out = outputValue === undefined ? ({} as Record<string, unknown>) : (outputValue as Record<string, unknown>);
        const bubbled = this.#applySet(object, selections!, out, run, objectType);
        run.invalid = false;
        run.hasErrors = bubbled;
        return bubbled ? null : out;
      }
      case 'leaf': {
        if (inputValue === null) return valid(run, null);
        const isValid = isValidLeafValue(this.#schema, inputValue, type.type);
        if (!isValid) run.errors.push(ERRORS.INVALID_GRAPHQL.err(`Invalid value found for ${this.#describe(run.path, type.text, parentType)}.`, { path: Array.from(run.path) }));
        run.invalid = false;
        run.hasErrors = !isValid;
        return isValid ? inputValue : null;
      }
    }
  }
}

/** `value` shaped without error: clears the run's flags and returns it. */
function valid(run: Run, value: unknown): unknown {
  run.invalid = false;
  run.hasErrors = false;
  return value;
}

interface Run {
  variables: Record<string, unknown>;
  errors: GraphQLError[];
  path: (string | number)[];
  /** Flags of the value #update returned last. */
  invalid: boolean;
  hasErrors: boolean;
}

