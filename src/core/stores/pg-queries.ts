// Every query an opened PostgreSQL store runs on the saver's tables, in one place so a test can
// EXPLAIN exactly these (test/stores/pg-store.test.ts: no sequential scan, the primary keys used).
// Each walks the savers' primary keys: checkpoints (thread_id, checkpoint_ns, checkpoint_id),
// checkpoint_blobs (thread_id, checkpoint_ns, channel, version) and checkpoint_writes
// (thread_id, checkpoint_ns, checkpoint_id, task_id, idx). Nothing else is indexed, and nothing
// may be added to the user's database.

/** The saver's tables, schema-qualified and quoted. */
export interface PgTables {
  checkpoints: string;
  checkpoint_blobs: string;
  checkpoint_writes: string;
  checkpoint_migrations: string;
}

/**
 * Each thread's head from the ids in `ids` (a relation with `id`): the namespace first in the key
 * (the root's '') and its newest checkpoint there, and the count of writes at it; three probes.
 */
function headsOf(t: PgTables, ids: string, extra = ""): string {
  return `SELECT ids.id AS thread_id, h.ns, last.checkpoint_id AS head, w.n AS writes${extra} FROM ${ids}
    CROSS JOIN LATERAL (SELECT checkpoint_ns AS ns FROM ${t.checkpoints} WHERE thread_id = ids.id ORDER BY checkpoint_ns LIMIT 1) h
    CROSS JOIN LATERAL (SELECT checkpoint_id FROM ${t.checkpoints} WHERE thread_id = ids.id AND checkpoint_ns = h.ns ORDER BY checkpoint_id DESC LIMIT 1) last
    CROSS JOIN LATERAL (SELECT count(*) AS n FROM ${t.checkpoint_writes}
      WHERE thread_id = ids.id AND checkpoint_ns = h.ns AND checkpoint_id = last.checkpoint_id) w`;
}

/**
 * Up to $1 threads after the cursor (`start`: "after" is `thread_id > $2`, "from" is
 * `thread_id >= $2`), in key order, with their heads: a skip-scan, one index probe per thread
 * (a loose index scan by recursive CTE), never a pass over the checkpoints.
 */
export function threadPageSql(t: PgTables, start: "first" | "after" | "from", details = false): string {
  const where = start === "after" ? "WHERE thread_id > $2" : start === "from" ? "WHERE thread_id >= $2" : "";
  return `WITH RECURSIVE ids(id, n) AS (
      (SELECT thread_id, 1 FROM ${t.checkpoints} ${where} ORDER BY thread_id LIMIT 1)
      UNION ALL
      SELECT (SELECT thread_id FROM ${t.checkpoints} WHERE thread_id > ids.id ORDER BY thread_id LIMIT 1), n + 1
      FROM ids WHERE ids.id IS NOT NULL AND n < $1
    )
    ${details ? withDetails(t) : `${headsOf(t, "ids")} WHERE ids.id IS NOT NULL ORDER BY ids.n`}`;
}

/** The heads, and what a page shows of each (as headMetadataSql): a page in one round trip. */
function withDetails(t: PgTables): string {
  return `SELECT hd.thread_id, hd.ns, hd.head, hd.writes, m.metadata,
      (SELECT checkpoint_id FROM ${t.checkpoints} f WHERE f.thread_id = hd.thread_id AND f.checkpoint_ns = hd.ns ORDER BY checkpoint_id LIMIT 1) AS first,
      (SELECT count(*) FROM ${t.checkpoints} n WHERE n.thread_id = hd.thread_id) AS checkpoints
    FROM (${headsOf(t, "ids", ", ids.n AS pos")} WHERE ids.id IS NOT NULL) hd
    CROSS JOIN LATERAL (SELECT metadata FROM ${t.checkpoints} WHERE thread_id = hd.thread_id AND checkpoint_ns = hd.ns AND checkpoint_id = hd.head) m
    ORDER BY hd.pos`;
}

/** One thread's head ($1). */
export const threadSql = (t: PgTables) => headsOf(t, "(SELECT $1::text AS id) ids");

/** Distinct thread ids, by the same skip-scan. */
export const countThreadsSql = (t: PgTables) => `WITH RECURSIVE ids(id) AS (
    (SELECT thread_id FROM ${t.checkpoints} ORDER BY thread_id LIMIT 1)
    UNION ALL
    SELECT (SELECT thread_id FROM ${t.checkpoints} WHERE thread_id > ids.id ORDER BY thread_id LIMIT 1) FROM ids WHERE ids.id IS NOT NULL
  )
  SELECT count(id) AS n FROM ids`;

/**
 * The heads' metadata, each thread's first checkpoint in the head's namespace and its checkpoint
 * count ($1..$3: ids, namespaces, head ids): what a page of threads shows.
 */
export const headMetadataSql = (t: PgTables) => `SELECT c.thread_id, c.metadata,
    (SELECT checkpoint_id FROM ${t.checkpoints} f WHERE f.thread_id = k.thread_id AND f.checkpoint_ns = k.ns ORDER BY checkpoint_id LIMIT 1) AS first,
    (SELECT count(*) FROM ${t.checkpoints} n WHERE n.thread_id = k.thread_id) AS checkpoints
  FROM unnest($1::text[], $2::text[], $3::text[]) AS k(thread_id, ns, id)
  CROSS JOIN LATERAL (SELECT thread_id, metadata FROM ${t.checkpoints}
    WHERE thread_id = k.thread_id AND checkpoint_ns = k.ns AND checkpoint_id = k.id) c`;

/**
 * A checkpoint ($1 thread, $2 namespace, $3 id; the newest when `latest`) with its channel values
 * (blobs by the versions in the checkpoint, one key probe each) and its pending writes, in one
 * round trip. The LIMIT 1 keeps the blob probe a parameterised index scan (the planner would
 * otherwise hash-join every blob of the thread).
 */
export function tupleSql(t: PgTables, latest: boolean): string {
  return `SELECT c.checkpoint_ns, c.checkpoint_id, c.parent_checkpoint_id, c.checkpoint, c.metadata,
      b.channels AS blob_channels, b.types AS blob_types, b.blobs AS blob_values,
      w.tasks AS write_tasks, w.channels AS write_channels, w.types AS write_types, w.blobs AS write_values
    FROM (SELECT * FROM ${t.checkpoints} WHERE thread_id = $1 AND checkpoint_ns = $2
      ${latest ? "ORDER BY checkpoint_id DESC LIMIT 1" : "AND checkpoint_id = $3"}) c
    CROSS JOIN LATERAL (SELECT array_agg(bl.channel) AS channels, array_agg(bl.type) AS types, array_agg(bl.blob) AS blobs
      FROM jsonb_each_text(c.checkpoint->'channel_versions') v(channel, version)
      CROSS JOIN LATERAL (SELECT channel, type, blob FROM ${t.checkpoint_blobs}
        WHERE thread_id = c.thread_id AND checkpoint_ns = c.checkpoint_ns AND channel = v.channel AND version = v.version LIMIT 1) bl) b
    CROSS JOIN LATERAL (SELECT array_agg(task_id ORDER BY task_id, idx) AS tasks, array_agg(channel ORDER BY task_id, idx) AS channels,
        array_agg(type ORDER BY task_id, idx) AS types, array_agg(blob ORDER BY task_id, idx) AS blobs
      FROM ${t.checkpoint_writes} wr WHERE wr.thread_id = c.thread_id AND wr.checkpoint_ns = c.checkpoint_ns AND wr.checkpoint_id = c.checkpoint_id) w`;
}

/**
 * A thread's checkpoints' summary columns, newest first: every namespace or one, before an id, up
 * to a limit; parameters in that order ($1 the thread, then those asked for).
 */
export function summariesSql(t: PgTables, options: { ns: boolean; before: boolean; limit: boolean }): string {
  let n = 1;
  const where = ["thread_id = $1"];
  if (options.ns) where.push(`checkpoint_ns = $${++n}`);
  if (options.before) where.push(`checkpoint_id < $${++n}`);
  return `SELECT checkpoint_ns, checkpoint_id, parent_checkpoint_id, metadata FROM ${t.checkpoints}
    WHERE ${where.join(" AND ")} ORDER BY ${options.ns ? "checkpoint_ns DESC, " : ""}checkpoint_id DESC${options.limit ? ` LIMIT $${++n}` : ""}`;
}

/** The channels written at a thread's checkpoints with ids in [$2, $3]. */
export const writeChannelsSql = (t: PgTables) => `SELECT DISTINCT checkpoint_ns, checkpoint_id, channel FROM ${t.checkpoint_writes}
  WHERE thread_id = $1 AND checkpoint_id BETWEEN $2 AND $3`;

/** Checkpoints of a thread in every namespace. */
export const countCheckpointsSql = (t: PgTables) => `SELECT count(*) AS n FROM ${t.checkpoints} WHERE thread_id = $1`;
