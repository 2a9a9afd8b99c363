import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's root folder, wherever the command was started from. */
export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
/** Git-ignored folder for tools the project builds itself (FerretDB). */
export const toolsDir = join(repoRoot, '.tools');
