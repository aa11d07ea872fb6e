import type { Logger } from '../../logger.js';
import type { Store } from '../../store/database.js';
import type { ObjectFiles } from './object-files.js';

/** At startup: object files that no version or part references are removed (see `ObjectFiles.sweep`). */
export async function sweepUnreferencedObjectFiles(db: Store, files: ObjectFiles, logger: Logger): Promise<void> {
  const referenced = new Set<string>();
  for (const row of await db.selectFrom('s3_objects').select('file_id').where('file_id', 'is not', null).execute()) referenced.add(row.file_id ?? '');
  for (const row of await db.selectFrom('s3_upload_parts').select('file_id').execute()) referenced.add(row.file_id);
  const removed = await files.sweep(referenced);
  if (removed > 0) logger.info({ removed }, 's3: removed object files left by an interrupted write');
}
