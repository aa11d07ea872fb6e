/**
 * Runs `work` for every node once all of its `after` nodes are done, independent ones at once.
 * After the first failure nothing new starts; what runs is awaited. Returns the failed nodes.
 */
export async function runGraph(
  nodes: Iterable<string>,
  after: (id: string) => Iterable<string>,
  work: (id: string) => Promise<boolean>,
  shouldStop: () => boolean = () => false,
): Promise<string[]> {
  const pending = new Set(nodes);
  const done = new Set<string>();
  const failed: string[] = [];
  const running = new Map<string, Promise<void>>();
  for (;;) {
    if (failed.length === 0 && !shouldStop()) {
      for (const id of [...pending]) {
        if (![...after(id)].every((d) => done.has(d) || !pending.has(d) && !running.has(d))) continue;
        pending.delete(id);
        running.set(
          id,
          work(id).then(
            (ok) => {
              running.delete(id);
              if (ok) done.add(id);
              else failed.push(id);
            },
            () => {
              running.delete(id);
              failed.push(id);
            },
          ),
        );
      }
    }
    if (running.size === 0) break;
    await Promise.race(running.values());
  }
  return failed;
}

/** The nodes that depend on each node (for deleting in reverse order). */
export function dependents(graph: ReadonlyMap<string, Iterable<string>>): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const id of graph.keys()) out.set(id, new Set());
  for (const [id, deps] of graph) for (const d of deps) out.get(d)?.add(id);
  return out;
}
