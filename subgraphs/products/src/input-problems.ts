import { GraphQLError } from 'graphql';
import { ErrorCode } from '@shop/platform';

/** One thing wrong with a mutation's input, named by its argument path (e.g. `input.variants[1].sku`). */
export interface InputProblem {
  field: string;
  message: string;
}

/**
 * Collects every problem of an input before failing, so that a form can show
 * them all at once. A resolver can raise only one GraphQL error, so the error
 * names the first problem in `extensions.field` (the platform convention)
 * and lists all of them in `extensions.problems`.
 */
export class InputProblems {
  readonly #problems: InputProblem[] = [];

  add(field: string, message: string): void {
    this.#problems.push({ field, message });
  }

  get list(): readonly InputProblem[] {
    return this.#problems;
  }

  throwIfAny(): void {
    const [first] = this.#problems;
    if (!first) return;
    const more = this.#problems.length - 1;
    const message = more ? `${first.message} (and ${more} more problem${more > 1 ? 's' : ''})` : first.message;
    throw new GraphQLError(message, {
      extensions: { code: ErrorCode.BAD_USER_INPUT, field: first.field, problems: [...this.#problems] },
    });
  }

  /** Trimmed text of `min`..`max` characters, or undefined (with a problem) when it is not. */
  text(field: string, value: string, min: number, max: number): string | undefined {
    const text = value.trim();
    if (text.length < min) this.add(field, min === 1 ? `"${field}" must not be blank.` : `"${field}" must be at least ${min} characters.`);
    else if (text.length > max) this.add(field, `"${field}" must be at most ${max} characters.`);
    else return text;
    return undefined;
  }

  /** A list of at most `max` items (at least `min`). */
  count(field: string, items: readonly unknown[], min: number, max: number): boolean {
    if (items.length < min) this.add(field, `"${field}" must hold at least ${min} item${min > 1 ? 's' : ''}.`);
    else if (items.length > max) this.add(field, `"${field}" may hold at most ${max} items.`);
    else return true;
    return false;
  }
}
