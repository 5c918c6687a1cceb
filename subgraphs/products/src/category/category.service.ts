import { badUserInput, requireRole } from '@shop/platform';
import { isUuid } from '../db.ts';
import { InputProblems } from '../input-problems.ts';
import type { ServiceDeps } from '../service-deps.ts';
import { MAX_SLUG_LENGTH, SLUG_PATTERN, slugify } from '../slug.ts';
import { mapUniqueViolations } from '../unique-violation.ts';
import type { Category } from './category.entity.ts';

export interface CreateCategoryInput {
  name: string;
  slug?: string | null;
  parentId?: string | null;
}

export const MAX_CATEGORY_NAME_LENGTH = 100;

/** The category tree: public reads, admin-only writes. */
export class CategoryService {
  readonly #deps: ServiceDeps;
  constructor(deps: ServiceDeps) {
    this.#deps = deps;
  }

  /** The top-level categories, or the children of `parentId` (empty for an unknown parent). */
  async listCategories(parentId: string | null | undefined): Promise<Category[]> {
    if (parentId == null) return this.#deps.repositories.categories.findRoots();
    if (!isUuid(parentId)) throw badUserInput('"parentId" is not a category id.', 'parentId');
    return this.#deps.loaders.childrenByParentId.load(parentId.toLowerCase());
  }

  async findCategory(args: { id?: string | null; slug?: string | null }): Promise<Category | null> {
    if ((args.id == null) === (args.slug == null)) throw badUserInput('Give exactly one of "id" and "slug".', args.id == null ? 'id' : 'slug');
    if (args.id != null) return this.#deps.loaders.categoryById.load(args.id.toLowerCase());
    return this.#deps.repositories.categories.findBySlug(args.slug ?? '');
  }

  async createCategory(input: CreateCategoryInput): Promise<Category> {
    requireRole(this.#deps.viewer, 'ADMIN');
    const problems = new InputProblems();
    const name = problems.text('input.name', input.name, 1, MAX_CATEGORY_NAME_LENGTH);
    const slug = input.slug ?? slugify(input.name);
    if (!SLUG_PATTERN.test(slug) || slug.length > MAX_SLUG_LENGTH) {
      problems.add('input.slug', `"input.slug" must be lowercase letters and digits separated by single dashes, at most ${MAX_SLUG_LENGTH} characters.`);
    }
    if (input.parentId != null && !isUuid(input.parentId)) problems.add('input.parentId', '"input.parentId" is not a category id.');
    problems.throwIfAny();
    const parentId = input.parentId?.toLowerCase() ?? null;
    const category = await mapUniqueViolations({ categories_slug_key: 'input.slug' }, () =>
      this.#deps.transaction(async (repositories) => {
        if (parentId && !(await repositories.categories.findExistingIds([parentId])).has(parentId)) {
          problems.add('input.parentId', `"input.parentId" (${parentId}) is not a category.`);
        }
        if (await repositories.categories.isSlugTaken(slug)) problems.add('input.slug', `"input.slug" (${slug}) is already taken.`);
        problems.throwIfAny();
        return repositories.categories.insert({ name: name ?? '', slug, parentId }, this.#deps.now);
      }),
    );
    this.#deps.loaders.clearAll();
    return category;
  }
}
