import path from 'node:path';

/**
 * Paths whose changes are no reason to reload: editors' temporary and backup files (vim's `.swp`,
 * `~` and its `4913` probe, emacs's `.#` locks and `#…#` autosaves, JetBrains' `___jb_tmp___`),
 * tool caches (`node_modules/.cache`, `__pycache__`) and version control (`.git`).
 */
export function isIgnoredPath(relative: string): boolean {
  const parts = relative.split(path.sep);
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (part === '.git' || part === '__pycache__') return true;
    if (part === '.cache' && parts[i - 1] === 'node_modules') return true;
  }
  const name = parts[parts.length - 1] ?? '';
  return (
    /\.(swp|swx|swo|tmp|bak)$/.test(name) ||
    name.endsWith('~') ||
    name === '4913' ||
    name.startsWith('.#') ||
    (name.startsWith('#') && name.endsWith('#')) ||
    name.endsWith('___jb_tmp___') ||
    name.endsWith('___jb_old___') ||
    name === '.DS_Store'
  );
}
