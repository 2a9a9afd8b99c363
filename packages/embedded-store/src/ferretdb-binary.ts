import { execFile } from 'node:child_process';
import { cp, chmod, mkdir, rename, rm, writeFile, access } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The FerretDB release the contract names (shared/DESIGN.md). */
export const FERRETDB_VERSION = 'v1.24.2';
const FERRETDB_MODULE = 'github.com/FerretDB/FerretDB';

/**
 * Returns the path of the FerretDB binary under `toolsDir/bin`, building it first if it is missing.
 *
 * Why not plain `go install ...@v1.24.2`: the binary that produces panics at start with
 * "Invalid build/version/version.txt file content", because the module archive lacks the version
 * file FerretDB's own build task generates, and Go refuses overlays on the module cache. So we copy
 * the downloaded module source, write that one file, and build the same `cmd/ferretdb` package.
 */
export async function ensureFerretDbBinary(
  toolsDir: string,
  log: (line: string) => void = () => {},
): Promise<string> {
  const binary = join(toolsDir, 'bin', 'ferretdb');
  if (await exists(binary)) return binary;

  log(`building FerretDB ${FERRETDB_VERSION} with Go (once; a few minutes the first time)…`);
  const env = { ...process.env, GOFLAGS: '-mod=mod', GOTOOLCHAIN: process.env.GOTOOLCHAIN ?? 'local' };
  let moduleDir: string;
  try {
    const { stdout } = await run(
      'go',
      ['mod', 'download', '-json', `${FERRETDB_MODULE}@${FERRETDB_VERSION}`],
      {
        env,
        maxBuffer: 1 << 20,
      },
    );
    moduleDir = (JSON.parse(stdout) as { Dir: string }).Dir;
  } catch (error) {
    throw new Error(
      `Could not download FerretDB ${FERRETDB_VERSION} with Go (is Go installed and the module proxy reachable?): ${(error as Error).message}`,
    );
  }

  const sourceDir = join(toolsDir, 'src', `ferretdb-${process.pid}`);
  await rm(sourceDir, { recursive: true, force: true });
  await mkdir(join(toolsDir, 'bin'), { recursive: true });
  await cp(moduleDir, sourceDir, { recursive: true });
  await chmod(sourceDir, 0o755);
  await run('chmod', ['-R', 'u+w', sourceDir]);
  await writeFile(join(sourceDir, 'build', 'version', 'version.txt'), `${FERRETDB_VERSION}\n`);

  const partial = `${binary}.${process.pid}.partial`;
  try {
    await run('go', ['build', '-o', partial, './cmd/ferretdb'], { cwd: sourceDir, env, maxBuffer: 16 << 20 });
    // rename is atomic: a second process building at the same time just replaces it with an equal file
    await rename(partial, binary);
  } catch (error) {
    throw new Error(`Building FerretDB ${FERRETDB_VERSION} failed: ${(error as Error).message}`);
  } finally {
    await rm(sourceDir, { recursive: true, force: true });
    await rm(partial, { force: true });
  }
  log(`FerretDB built at ${binary}`);
  return binary;
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
