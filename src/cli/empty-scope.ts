import { DataError } from '../errors.js';
import type { ClusterSource, Scope } from '../source/types.js';

/** What a narrowed scope (-n, -l) matched: nothing, and why, or undefined when it matched pods. */
export interface EmptyScope {
  /** The line for stderr ("nothing matched: ..."). */
  note: string;
}

/**
 * A CI gate with a typo in -n or -l must not pass forever on "no findings". Throws a DataError
 * (exit 3) when the namespace does not exist; returns a note when the scope matched no pod.
 */
export async function emptyScope(source: ClusterSource, scope: Scope): Promise<EmptyScope | undefined> {
  if (!scope.namespace && !scope.labelSelector) return undefined;
  const pods = await source.list('pods', scope);
  if (!pods.ok || pods.value.length > 0) return undefined;
  const ns = scope.allNamespaces ? undefined : scope.namespace;
  if (ns) {
    let exists: boolean | null;
    if (source.namespaceExists) {
      exists = await source.namespaceExists(ns);
    } else {
      // Offline: a namespace exists in the input when anything in it was captured.
      const inNs = { namespace: ns, allNamespaces: false };
      const kinds = await Promise.all((['pods', 'services', 'events'] as const).map((k) => source.list(k, inNs)));
      exists = kinds.some((r) => r.ok && r.value.length > 0) ? true : kinds.every((r) => r.ok) ? false : null;
    }
    if (exists === false) {
      const where = source.namespaceExists ? 'in the cluster' : 'in the input';
      throw new DataError(`namespace "${ns}" not found ${where}`, 'check the name given to -n (kubectl get namespaces lists them)');
    }
  }
  const what = [ns ? `in namespace ${ns}` : 'in any namespace', scope.labelSelector ? `with labels ${scope.labelSelector}` : ''].filter(Boolean).join(' ');
  return { note: `nothing matched: no pods ${what}; only cluster-wide checks looked at anything (--strict exits 4)` };
}
