import { DEMO_PASSWORD, type DemoData } from '@shop/platform';
import type { PasswordHasher } from './password.ts';
import type { UserRepository } from './user.repository.ts';
import { normalizeEmail } from './user.service.ts';

/**
 * Seeds the demo users once (does nothing when any user exists), keeping
 * their ids because the demo catalogue names them as sellers. Every demo user
 * signs in with DEMO_PASSWORD. Returns the number inserted.
 */
export async function seedDemoUsers(repository: UserRepository, data: DemoData, hasher: PasswordHasher): Promise<number> {
  if ((await repository.count()) > 0) return 0;
  const users = await Promise.all(
    data.users.map(async (user) => ({
      id: user.id,
      email: normalizeEmail(user.email),
      name: user.name,
      role: user.role,
      passwordHash: await hasher.hash(DEMO_PASSWORD),
    })),
  );
  await repository.insertMany(users);
  return users.length;
}
