import fs from 'node:fs';
import path from 'node:path';

export const NOTE_EXTENSIONS = ['.md', '.markdown', '.txt'];

export interface ScannedFile {
  absPath: string;
  /** Path relative to the knowledge folder, with forward slashes: what users see. */
  relPath: string;
}

export interface ScanSkip {
  absPath: string;
  relPath: string;
  reason: string;
}

export interface ScanResult {
  files: ScannedFile[];
  skipped: ScanSkip[];
}

export function isNotePath(file: string): boolean {
  return NOTE_EXTENSIONS.includes(path.extname(file).toLowerCase());
}

export function isInside(root: string, candidate: string): boolean {
  const relative = path.relative(root, candidate);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

export function relativeTo(root: string, absPath: string): string {
  return path.relative(root, absPath).split(path.sep).join('/');
}

/**
 * Lists the notes under a folder, recursively and in a stable order. Hidden entries (".git",
 * ".obsidian") are passed over; symbolic links are followed only while they stay inside `boundary`
 * (KNOWLEDGE_DIR; the folder itself by default), and each real file is listed once.
 */
export function scanKnowledgeDir(root: string, boundary = root): ScanResult {
  const realRoot = fs.realpathSync(root);
  const realBoundary = fs.realpathSync(boundary);
  const files: ScannedFile[] = [];
  const skipped: ScanSkip[] = [];
  const seenReal = new Set<string>();

  const visit = (dir: string): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return; // a folder removed or unreadable mid-scan: its files are simply not listed
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const absPath = path.join(dir, entry.name);
      let real = absPath;
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        try {
          real = fs.realpathSync(absPath);
          const target = fs.statSync(real);
          isDir = target.isDirectory();
          isFile = target.isFile();
        } catch {
          if (isNotePath(absPath)) skipped.push({ absPath, relPath: relativeTo(root, absPath), reason: 'broken symbolic link' });
          continue;
        }
        if (!isInside(realBoundary, real)) {
          if (isDir || isNotePath(absPath)) {
            skipped.push({
              absPath,
              relPath: relativeTo(root, absPath),
              reason: 'symbolic link leads outside KNOWLEDGE_DIR; not followed',
            });
          }
          continue;
        }
      } else {
        real = path.join(fs.realpathSync(dir), entry.name);
      }
      if (seenReal.has(real)) continue;
      seenReal.add(real);
      if (isDir) visit(absPath);
      else if (isFile && isNotePath(absPath)) files.push({ absPath, relPath: relativeTo(root, absPath) });
    }
  };
  seenReal.add(realRoot);
  visit(root);
  return { files, skipped };
}
