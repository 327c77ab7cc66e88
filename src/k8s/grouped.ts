/**
 * Groups a list by keys once and reuses the grouping for later calls on the same list (the
 * engine hands every check the same arrays). Checks ask "the services of this namespace", "the
 * events of this node" once per object; without an index that is O(objects × list), which on
 * 5,000 nodes and 150,000 pods took seconds per check. Keyed by array identity in a WeakMap,
 * so nothing outlives the arrays.
 */
const memo = new WeakMap<object, Map<string, Map<string, unknown[]>>>();

/** The groups of `list` by the keys `keysOf` gives each item (an item may have several), in list order. */
export function grouped<T>(list: readonly T[], indexName: string, keysOf: (item: T) => Iterable<string>): Map<string, T[]> {
  let byName = memo.get(list);
  if (!byName) memo.set(list, (byName = new Map()));
  let index = byName.get(indexName) as Map<string, T[]> | undefined;
  if (!index) {
    index = new Map();
    for (const item of list) {
      for (const key of new Set(keysOf(item))) {
        const g = index.get(key);
        if (g) g.push(item);
        else index.set(key, [item]);
      }
    }
    byName.set(indexName, index as Map<string, unknown[]>);
  }
  return index;
}
