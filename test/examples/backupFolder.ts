/**
 * Imported first by the backup example's test: n8n 2.x lets file nodes write only under
 * N8N_RESTRICT_FILE_ACCESS_TO (default ~/.n8n-files), read once when n8n's security settings are first
 * used, so the test's own folder is set before anything of n8n loads.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const BACKUP_ROOT = mkdtempSync(join(tmpdir(), 'media-assets-backup-'));
process.env.N8N_RESTRICT_FILE_ACCESS_TO = BACKUP_ROOT;
