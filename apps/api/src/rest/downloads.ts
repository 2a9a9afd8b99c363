import { Router } from 'express';
import type { ApiServices } from '../graphql/context.js';

/** User routes of this module (authenticated by bearer token like GraphQL). */
export function downloadsRoutes(_services: ApiServices): Router {
  return Router();
}
