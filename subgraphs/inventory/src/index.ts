export { readConfig, type InventoryConfig } from './config.ts';
export { createServer, openDatabase, typeDefs, type InventoryDeps, type InventoryServer } from './server.ts';
