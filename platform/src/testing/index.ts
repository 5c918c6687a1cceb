export * from './database.ts';
export * from './graphql.ts';
