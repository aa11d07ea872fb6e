import { readdirSync, readFileSync } from 'node:fs';

/** Each child of `root` with its whole subtree, found by walking /proc (Linux only). */
export function subtreesOf(root: number): number[][] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const ppid = parentOf(Number(entry));
    if (ppid === undefined) continue;
    const list = children.get(ppid) ?? [];
    list.push(Number(entry));
    children.set(ppid, list);
  }
  return (children.get(root) ?? []).map((top) => {
    const tree: number[] = [];
    const stack = [top];
    while (stack.length > 0) {
      const pid = stack.pop()!;
      tree.push(pid);
      stack.push(...(children.get(pid) ?? []));
    }
    return tree;
  });
}

/**
 * The process trees of one function's environments under `root` (the server process), the
 * spawned process first. The engine does not list its environments' pids, and a sandbox may put
 * a launcher above the runtime, so a whole tree counts when any process in it runs the function.
 */
export function environmentTrees(root: number, functionName: string): number[][] {
  return subtreesOf(root).filter((tree) => tree.some((pid) => environOf(pid, 'AWS_LAMBDA_FUNCTION_NAME') === functionName));
}

function parentOf(pid: number): number | undefined {
  try {
    // The command name may contain spaces and parentheses; fields resume after the last ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined; // exited meanwhile
  }
}

/** Resident set size in kB from /proc/<pid>/status, 0 if the process is gone. */
export function rssKb(pid: number): number {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

/** Value of one environment variable of a process (root can read any), or undefined. */
export function environOf(pid: number, name: string): string | undefined {
  try {
    const prefix = `${name}=`;
    return readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').find((v) => v.startsWith(prefix))?.slice(prefix.length);
  } catch {
    return undefined;
  }
}
