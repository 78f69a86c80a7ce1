import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * Write report files so none is ever half-written: every file goes to a
 * temporary file first, and only when all are written are they renamed into
 * place. On failure the temporary files are removed and the error rethrown.
 */
export function writeFilesAtomically(files: ReadonlyArray<{ readonly path: string; readonly text: string }>): void {
  const temps: string[] = [];
  try {
    for (const f of files) {
      const tmp = join(dirname(f.path), `.${basename(f.path)}.${process.pid}.tmp`);
      temps.push(tmp);
      writeFileSync(tmp, f.text);
    }
    files.forEach((f, i) => renameSync(temps[i], f.path));
  } catch (e) {
    for (const t of temps) rmSync(t, { force: true });
    throw e;
  }
}
