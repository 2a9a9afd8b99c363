import { Router } from 'express';
import type { ApiServices } from '../services.js';
import { downloadsRoutes } from './downloads.js';
import { uploadsRoutes } from './uploads.js';

/**
 * Routes for signed-in users beside GraphQL (bodies too large or too binary for JSON): downloads
 * of attachments and raw messages, uploads of attachments to send. They authenticate with the same
 * bearer tokens as GraphQL, not with the API token.
 */
export function userFileRoutes(services: ApiServices): Router {
  const router = Router();
  router.use(downloadsRoutes(services), uploadsRoutes(services));
  return router;
}
