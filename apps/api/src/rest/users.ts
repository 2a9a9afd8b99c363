import { Router } from 'express';
import type { Db } from 'mongodb';
import { createUser, UserExistsError } from '@wildduck/store';
import { ApiError } from './api-error.js';
import { validateUserCreate } from './validate-user-create.js';

/** REST routes for accounts: `POST /user/create` (shared/DESIGN.md, the contract). */
export function userRoutes(db: Db): Router {
  const router = Router();
  router.post('/user/create', async (req, res) => {
    const request = validateUserCreate(req.body);
    try {
      const user = await createUser(db, request);
      req.log.info({ user: user._id.toHexString() }, 'user created');
      res.status(200).json({ success: true, id: user._id.toHexString(), username: user.address });
    } catch (error) {
      if (error instanceof UserExistsError) throw new ApiError(409, 'USER_EXISTS', error.message, 'username');
      throw error;
    }
  });
  return router;
}
