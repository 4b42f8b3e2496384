import type { SemanticChange } from './semantic-cache-storage.js';
import type { VectorIndex, VectorMatch } from './vector-index.js';
import type { VectorIndexFactory } from './vector-index-by-size.js';

/** One replica's view of the shared entries: a vector index per namespace, fed by the change log. */
export type ReplicaIndexes = {
  /** Entries held, all namespaces together. */
  readonly size: number;
  /**
   * Applies logged changes in order; an add that has already expired at `now` is a removal, an add of an id
   * held is ignored. The adds that survive the batch go into each namespace's index at once (bulk build).
   */
  apply(changes: readonly SemanticChange[], now: number): void;
  forget(id: string): void;
  search(namespace: string, vector: Float32Array, k: number): VectorMatch[];
  /** When a held entry expires (epoch ms); undefined for an id not held. */
  expiresAt(id: string): number | undefined;
};

/** Indexes per namespace, made by `newIndex` on first use and dropped when emptied. */
export function createReplicaIndexes(newIndex: VectorIndexFactory): ReplicaIndexes {
  const indexes = new Map<string, VectorIndex>();
  const held = new Map<string, { readonly namespace: string; readonly expiresAt: number }>();

  function forget(id: string): void {
    const entry = held.get(id);
    if (entry === undefined) return;
    held.delete(id);
    const index = indexes.get(entry.namespace);
    index?.remove(id);
    if (index?.size === 0) indexes.delete(entry.namespace);
  }

  return {
    get size() {
      return held.size;
    },
    apply(changes, now) {
      const adding = new Map<string, SemanticChange & { type: 'add' }>();
      for (const change of changes) {
        if (change.type === 'remove' || change.expiresAt <= now) {
          adding.delete(change.id);
          forget(change.id);
        } else if (!held.has(change.id)) {
          adding.set(change.id, change);
        }
      }
      const byNamespace = new Map<string, (SemanticChange & { type: 'add' })[]>();
      for (const change of adding.values()) {
        const group = byNamespace.get(change.namespace);
        if (group === undefined) byNamespace.set(change.namespace, [change]);
        else group.push(change);
      }
      for (const [namespace, added] of byNamespace) {
        let index = indexes.get(namespace);
        if (index === undefined) {
          index = newIndex();
          indexes.set(namespace, index);
        }
        index.addAll(added.map((change) => [change.id, change.vector] as const));
        for (const { id, expiresAt } of added) held.set(id, { namespace, expiresAt });
      }
    },
    forget,
    search: (namespace, vector, k) => indexes.get(namespace)?.search(vector, k) ?? [],
    expiresAt: (id) => held.get(id)?.expiresAt,
  };
}
