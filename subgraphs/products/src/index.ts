// The package entry (package.json "exports"): what the stack and other tooling may build on.
export { createServer, entities, openDatabase, resolvers, typeDefs, type ProductsDeps } from './server.ts';
export { seedDemoCatalogue } from './product/product.seed.ts';
