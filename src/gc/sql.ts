/**
 * The collector's SQL, all of it, for the D1 adapter in `d1.ts`. Parameters are numbered:
 * `?1` is the run's clock (milliseconds), `?2` the run id that must hold the lock, `?3` the
 * namespace of a scoped run. A statement for all namespaces omits the `?3` condition instead of
 * writing `(?3 IS NULL OR …)`, so SQLite can use the namespace-prefixed indexes when scoped.
 *
 * Liveness, as everywhere in the service: a lease is unexpired while `expires_at IS NULL OR
 * expires_at >= now` (expired when now is strictly after it); so is an ingest's own expiry.
 */

/** scopeOf renders the namespace condition of a scoped statement, or nothing. */
const scopeOf = (scoped: boolean, column: string): string => (scoped ? ` AND ${column} = ?3` : "");

/** LOCK_HELD guards every sweeping write: if this run lost the lock, the whole sweep is a no-op. */
const LOCK_HELD = "EXISTS (SELECT 1 FROM gc_lock WHERE name = 'collector' AND holder = ?2 AND expires_at >= ?1)";

const UNEXPIRED_LEASE = "(l.expires_at IS NULL OR l.expires_at >= ?1)";

const UNMARKED = (alias: string) =>
  `NOT EXISTS (SELECT 1 FROM gc_marks m WHERE m.namespace = ${alias}.namespace AND m.digest = ${alias}.digest)`;

/** DEAD_INGEST: neither its own expiry is ahead nor an unexpired lease holds it. */
const DEAD_INGEST = `NOT (
  (i.expires_at IS NOT NULL AND i.expires_at >= ?1)
  OR EXISTS (
    SELECT 1 FROM lease_resources AS r INDEXED BY lease_resources_by_resource
    JOIN leases AS l ON l.namespace = r.namespace AND l.id = r.lease_id
    WHERE r.namespace = i.namespace AND r.type = 'ingests' AND r.resource_id = i.ref AND ${UNEXPIRED_LEASE}))`;

/**
 * markSql fills gc_marks with the live content. Roots: content held by unexpired leases and
 * content labelled gc.root. References (content_refs) are followed transitively; UNION (not
 * UNION ALL) keeps each node once, which also ends cycles. Content held by a flat lease is live
 * but its references are not followed from there (only if a non-flat root reaches it too).
 */
export const markSql = (scoped: boolean) => `
WITH RECURSIVE
  held(namespace, digest, flat) AS (
    SELECT r.namespace, r.resource_id, l.flat
    FROM leases AS l JOIN lease_resources AS r
      ON r.namespace = l.namespace AND r.lease_id = l.id AND r.type = 'content'
    WHERE ${UNEXPIRED_LEASE}${scopeOf(scoped, "l.namespace")}
  ),
  reached(namespace, digest) AS (
    SELECT namespace, digest FROM held WHERE flat = 0
    UNION
    SELECT namespace, digest FROM content WHERE root = 1${scopeOf(scoped, "namespace")}
    UNION
    SELECT f.namespace, f.target FROM reached AS x
    JOIN content_refs AS f ON f.namespace = x.namespace AND f.digest = x.digest
  )
INSERT OR IGNORE INTO gc_marks (namespace, digest)
SELECT namespace, digest FROM reached
UNION ALL
SELECT namespace, digest FROM held WHERE flat = 1`;

/** clearMarksSql empties the work table; first and last statement of every marking batch. */
export const clearMarksSql = "DELETE FROM gc_marks";

/**
 * sweepSql is the expire, mark and sweep batch after the mark, in order; see `SWEEP_RESULTS`.
 * TODO(someday): one batch sweeps a whole scope; a namespace too large for one D1 statement's time
 * limit would need the sweep split per namespace and key range (each part re-marking).
 */
export const sweepSql = (scoped: boolean): string[] => [
  // expire: the resource entries of expired leases, then the leases.
  `DELETE FROM lease_resources WHERE (namespace, lease_id) IN (
     SELECT namespace, id FROM leases WHERE expires_at < ?1${scopeOf(scoped, "namespace")}) AND ${LOCK_HELD}`,
  `DELETE FROM leases WHERE expires_at < ?1${scopeOf(scoped, "namespace")} AND ${LOCK_HELD}`,
  // sweep: dead content (bytes queued first), its references, dead ingests (uploads queued).
  `INSERT OR IGNORE INTO gc_deletions (object_key, upload_id, namespace, size, enqueued_at)
   SELECT c.object_key, NULL, c.namespace, c.size, ?1 FROM content AS c
   WHERE ${UNMARKED("c")}${scopeOf(scoped, "c.namespace")} AND ${LOCK_HELD}`,
  `DELETE FROM content_refs AS c WHERE ${UNMARKED("c")}${scopeOf(scoped, "c.namespace")} AND ${LOCK_HELD}`,
  `DELETE FROM content AS c WHERE ${UNMARKED("c")}${scopeOf(scoped, "c.namespace")} AND ${LOCK_HELD}`,
  `INSERT OR IGNORE INTO gc_deletions (object_key, upload_id, namespace, size, enqueued_at)
   SELECT i.object_key, i.upload_id, i.namespace, 0, ?1 FROM ingests AS i
   WHERE ${DEAD_INGEST}${scopeOf(scoped, "i.namespace")} AND ${LOCK_HELD}`,
  `DELETE FROM ingests AS i WHERE ${DEAD_INGEST}${scopeOf(scoped, "i.namespace")} AND ${LOCK_HELD}`,
];

/** SWEEP_RESULTS names the statements of `sweepSql` whose changed-row counts the run reports. */
export const SWEEP_RESULTS = { leasesExpired: 1, contentDeleted: 4, ingestsAborted: 6 } as const;

/** drySql counts what `sweepSql` would remove, after the same mark; one row each. */
export const drySql = (scoped: boolean): string[] => [
  `SELECT count(*) AS n, 0 AS bytes FROM leases WHERE expires_at < ?1${scopeOf(scoped, "namespace")}`,
  `SELECT count(*) AS n, coalesce(sum(c.size), 0) AS bytes FROM content AS c
   WHERE ${UNMARKED("c")}${scopeOf(scoped, "c.namespace")}`,
  `SELECT count(*) AS n, 0 AS bytes FROM ingests AS i WHERE ${DEAD_INGEST}${scopeOf(scoped, "i.namespace")}`,
  `SELECT count(*) AS n, coalesce(sum(size), 0) AS bytes FROM gc_deletions
   WHERE 1 = 1${scopeOf(scoped, "namespace")}`,
];

/** takeLockSql takes the lock if it is free or expired; returns a row only on success. */
export const takeLockSql = `
INSERT INTO gc_lock (name, holder, expires_at) VALUES ('collector', ?2, ?3)
ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
WHERE gc_lock.expires_at < ?1
RETURNING holder`;

/** releaseLockSql frees the lock if this run still holds it. */
export const releaseLockSql = "DELETE FROM gc_lock WHERE name = 'collector' AND holder = ?1";

/**
 * queuedSql reads the next queued R2 deletions that are due at `?1`, in key order. `pointed` flags
 * a key that a content or ingest row points at again, which must never be deleted (keys are never
 * reused, so it is a bug elsewhere; the entry is dropped, not executed).
 */
export const queuedSql = (scoped: boolean) => `
SELECT d.rowid AS id, d.object_key AS key, d.upload_id AS uploadId, d.size AS size,
  (EXISTS (SELECT 1 FROM content WHERE object_key = d.object_key)
   OR EXISTS (SELECT 1 FROM ingests WHERE object_key = d.object_key)) AS pointed
FROM gc_deletions AS d WHERE d.retry_at <= ?1${scopeOf(scoped, "d.namespace")}
ORDER BY d.namespace, d.object_key LIMIT ?2`;

/** dequeueSql removes finished deletions; `?1` is a JSON array of their rowids (from `queuedSql`). */
export const dequeueSql = "DELETE FROM gc_deletions WHERE rowid IN (SELECT value FROM json_each(?1))";

/** RETRY_BASE_MS is the first backoff of a queue entry whose R2 call failed; it doubles each time. */
export const RETRY_BASE_MS = 5 * 60_000;

/**
 * postponeSql sets failed deletions (`?2`, a JSON array of rowids) aside from `?1` on: 5 minutes
 * after the first failure, doubling up to 2^8 times that (about 21 hours), so a key R2 keeps
 * refusing is retried ever less often while the rest of the queue drains.
 */
export const postponeSql = `
UPDATE gc_deletions SET attempts = attempts + 1,
  retry_at = ?1 + ${RETRY_BASE_MS} * (1 << min(attempts, 8))
WHERE rowid IN (SELECT value FROM json_each(?2))`;

/** unreferencedSql keeps the keys of `?1` (JSON array) that no row points at nor the queue holds. */
export const unreferencedSql = `
SELECT k.value AS key FROM json_each(?1) AS k
WHERE NOT EXISTS (SELECT 1 FROM content WHERE object_key = k.value)
  AND NOT EXISTS (SELECT 1 FROM ingests WHERE object_key = k.value)
  AND NOT EXISTS (SELECT 1 FROM gc_deletions WHERE object_key = k.value)`;

export const getStateSql = "SELECT value FROM gc_state WHERE name = ?1";
export const putStateSql =
  "INSERT INTO gc_state (name, value) VALUES (?1, ?2) ON CONFLICT (name) DO UPDATE SET value = excluded.value";
export const deleteStateSql = "DELETE FROM gc_state WHERE name = ?1";

/**
 * explainContentSql finds the shortest path from a root to the digest `?2` of namespace `?3`,
 * walking breadth-first like the mark does (flat lease content is not followed). Paths carry
 * their nodes, so a node already on the path is not entered again (cycles end); LIMIT bounds the
 * walk over graphs with many paths.
 */
export const explainContentSql = `
WITH RECURSIVE
  walk(digest, flat, reason, path, depth) AS (
    SELECT r.resource_id, l.flat, 'lease',
      json_array(json_object('type', 'lease', 'id', l.id), json_object('type', 'content', 'id', r.resource_id)), 1
    FROM leases AS l JOIN lease_resources AS r
      ON r.namespace = l.namespace AND r.lease_id = l.id AND r.type = 'content'
    WHERE l.namespace = ?3 AND ${UNEXPIRED_LEASE}
    UNION ALL
    SELECT digest, 0, 'root', json_array(json_object('type', 'content', 'id', digest)), 1
    FROM content WHERE root = 1 AND namespace = ?3
    UNION ALL
    SELECT f.target, 0, 'reference',
      json_insert(w.path, '$[#]', json_object('type', 'content', 'id', f.target)), w.depth + 1
    FROM walk AS w JOIN content_refs AS f ON f.namespace = ?3 AND f.digest = w.digest
    WHERE w.flat = 0 AND w.digest <> ?2 AND instr(w.path, '"' || f.target || '"') = 0
    LIMIT 10000
  )
SELECT reason, path FROM walk WHERE digest = ?2 ORDER BY depth, reason LIMIT 1`;

/** explainIngestSql tells why ingest `?2` of namespace `?3` is live: a lease, or its own expiry. */
export const explainIngestSql = `
SELECT 'lease' AS reason,
  json_array(json_object('type', 'lease', 'id', l.id), json_object('type', 'ingests', 'id', r.resource_id)) AS path
FROM lease_resources AS r JOIN leases AS l ON l.namespace = r.namespace AND l.id = r.lease_id
WHERE r.namespace = ?3 AND r.type = 'ingests' AND r.resource_id = ?2 AND ${UNEXPIRED_LEASE}
UNION ALL
SELECT 'ingest' AS reason, json_array(json_object('type', 'ingests', 'id', ref)) AS path
FROM ingests WHERE namespace = ?3 AND ref = ?2 AND expires_at >= ?1
LIMIT 1`;
