import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { extractFile } from './extract/extract-file.js';
import type { Occurrence } from './extract/occurrence.js';

/** Larger files are skipped: fixtures are small, and a huge file is almost surely not one. */
export const MAX_FILE_BYTES = 10 * 1024 * 1024;

export interface ScanResult {
  occurrences: Occurrence[];
  /** Per-file remarks: skipped (binary, too large) or scanned as text after a parse error. */
  notes: Array<{ file: string; message: string }>;
}

/** Reads each workspace-relative file and extracts every address occurrence. */
export async function scanFiles(
  files: readonly string[],
  workspace: string,
  expectKey: string,
): Promise<ScanResult> {
  const occurrences: Occurrence[] = [];
  const notes: ScanResult['notes'] = [];
  for (const file of files) {
    const bytes = await readBounded(join(workspace, file));
    if (bytes === null) {
      notes.push({ file, message: `skipped: larger than ${MAX_FILE_BYTES} bytes` });
      continue;
    }
    if (bytes.includes(0)) {
      notes.push({ file, message: 'skipped: binary file' });
      continue;
    }
    const extraction = extractFile(bytes.toString('utf8'), { file, expectKey });
    if (extraction.fallback) notes.push({ file, message: extraction.fallback });
    occurrences.push(...extraction.occurrences);
  }
  return { occurrences, notes };
}

/** The file's bytes, or null when it is larger than MAX_FILE_BYTES (read no further than that). */
async function readBounded(path: string): Promise<Buffer | null> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(MAX_FILE_BYTES + 1);
    let length = 0;
    while (length < buffer.length) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    return length > MAX_FILE_BYTES ? null : buffer.subarray(0, length);
  } finally {
    await handle.close();
  }
}
