export * from './database.ts';
export * from './graphql.ts';
export * from './processes.ts';
export * from './errors.ts';
export * from './identities.ts';
export * from './webhook-receiver.ts';
export * from './replicas.ts';
export * from './otlp-receiver.ts';
