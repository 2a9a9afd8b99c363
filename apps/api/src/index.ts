export { createApiApp, type ApiAppOptions } from './app.js';
export { createApiLogger } from './logger.js';
