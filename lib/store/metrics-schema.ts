/**
 * metrics.db: telemetry. The `events` and `srmkg_decisions` tables are the Python HydraMem's, column
 * for column, so either implementation can read the other's file. Our own tables sit beside them.
 */
export const METRICS_SCHEMA_VERSION = 8;

/**
 * A query_log row's UTC date, written exactly as migration 7 -> 8 indexes it: SQLite uses an
 * expression index only for a query that repeats the expression.
 */
export const QUERY_LOG_DAY = 'substr(ts, 1, 10)';

/** The Python HydraMem's `events` columns, in order: [name, declared type, default]. */
export const EVENTS_COLUMNS: ReadonlyArray<readonly [string, string, string | null]> = [
  ['id', 'INTEGER', null],
  ['ts', 'TEXT', null],
  ['project', 'TEXT', null],
  ['tool_name', 'TEXT', null],
  ['session_id', 'TEXT', null],
  ['llm_preset', 'TEXT', null],
  ['tokens_injected', 'INTEGER', '0'],
  ['tokens_baseline', 'INTEGER', '0'],
  ['vog_score', 'REAL', '0'],
  ['chunks_total', 'INTEGER', '0'],
  ['chunks_rejected_srmkg', 'INTEGER', '0'],
  ['chunks_rejected_vog', 'INTEGER', '0'],
  ['cross_project_hit', 'INTEGER', '0'],
  ['latency_ms', 'INTEGER', '0'],
  ['was_hallucination_blocked', 'INTEGER', '0'],
  ['metadata_json', 'TEXT', "'{}'"],
];

const EVENTS_DDL = `CREATE TABLE IF NOT EXISTS events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  ${EVENTS_COLUMNS.slice(1)
    .map(([name, type, dflt]) => `${name} ${type}${dflt === null ? '' : ` DEFAULT ${dflt}`}`)
    .join(',\n  ')}
)`;

const SRMKG_DDL = `CREATE TABLE IF NOT EXISTS srmkg_decisions (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  ts TEXT, project TEXT, relation_type TEXT, base REAL, jaccard REAL, type_boost REAL,
  isolated INTEGER, score REAL, final_label TEXT, source TEXT
)`;

/** migrations[n] takes a store from version n to n + 1. Version 0 may be a Python HydraMem file. */
export const METRICS_MIGRATIONS: readonly string[] = [
  `${EVENTS_DDL};
  ${SRMKG_DDL};
  CREATE INDEX IF NOT EXISTS events_project_ts ON events(project, ts);
  CREATE INDEX IF NOT EXISTS events_project_tool_ts ON events(project, tool_name, ts);

  CREATE TABLE ingest_runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    ts TEXT NOT NULL,
    project TEXT NOT NULL,
    batch_id TEXT NOT NULL,
    path TEXT NOT NULL,
    doc_id TEXT,
    status TEXT NOT NULL CHECK (status IN ('ok', 'skipped', 'failed')),
    change TEXT NOT NULL CHECK (change IN ('new', 'changed', 'unchanged', 'deleted', 'none')),
    reason TEXT,
    chunks_added INTEGER NOT NULL DEFAULT 0,
    chunks_removed INTEGER NOT NULL DEFAULT 0,
    entities_added INTEGER NOT NULL DEFAULT 0,
    entities_removed INTEGER NOT NULL DEFAULT 0,
    relations_added INTEGER NOT NULL DEFAULT 0,
    relations_removed INTEGER NOT NULL DEFAULT 0,
    bytes INTEGER,
    duration_ms REAL NOT NULL DEFAULT 0,
    source TEXT NOT NULL DEFAULT 'cli'
  );
  CREATE INDEX ingest_runs_project_ts ON ingest_runs(project, ts);
  CREATE INDEX ingest_runs_project_path ON ingest_runs(project, path, ts);
  CREATE INDEX ingest_runs_project_status_ts ON ingest_runs(project, status, ts);

  CREATE TABLE query_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    ts TEXT NOT NULL,
    project TEXT NOT NULL,
    session_id TEXT,
    user_id TEXT,
    memory_id TEXT,
    tool TEXT NOT NULL,
    query TEXT NOT NULL,
    result_count INTEGER NOT NULL DEFAULT 0,
    top_score REAL,
    latency_ms REAL NOT NULL DEFAULT 0,
    tokens_injected INTEGER NOT NULL DEFAULT 0,
    tokens_baseline INTEGER NOT NULL DEFAULT 0,
    chunk_ids TEXT NOT NULL DEFAULT '[]',
    entity_ids TEXT NOT NULL DEFAULT '[]',
    status TEXT NOT NULL CHECK (status IN ('ok', 'error')),
    error TEXT
  );
  CREATE INDEX query_log_project_ts ON query_log(project, ts);
  CREATE INDEX query_log_project_tool_ts ON query_log(project, tool, ts);
  CREATE INDEX query_log_project_latency ON query_log(project, latency_ms);
  CREATE INDEX query_log_project_session ON query_log(project, session_id, ts);
  CREATE INDEX query_log_project_user ON query_log(project, user_id, ts);

  -- Hourly rollups the writer maintains as it records, so charts never scan raw rows.
  CREATE TABLE call_rollup_hourly (
    project TEXT NOT NULL,
    hour TEXT NOT NULL,
    tool TEXT NOT NULL,
    calls INTEGER NOT NULL DEFAULT 0,
    errors INTEGER NOT NULL DEFAULT 0,
    searches INTEGER NOT NULL DEFAULT 0,
    zero_results INTEGER NOT NULL DEFAULT 0,
    latency_sum_ms REAL NOT NULL DEFAULT 0,
    latency_max_ms REAL NOT NULL DEFAULT 0,
    latency_hist TEXT NOT NULL DEFAULT '[]',
    tokens_injected INTEGER NOT NULL DEFAULT 0,
    tokens_baseline INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (project, hour, tool)
  ) WITHOUT ROWID;

  CREATE TABLE ingest_rollup_hourly (
    project TEXT NOT NULL,
    hour TEXT NOT NULL,
    status TEXT NOT NULL,
    files INTEGER NOT NULL DEFAULT 0,
    chunks_added INTEGER NOT NULL DEFAULT 0,
    chunks_removed INTEGER NOT NULL DEFAULT 0,
    entities_added INTEGER NOT NULL DEFAULT 0,
    entities_removed INTEGER NOT NULL DEFAULT 0,
    relations_added INTEGER NOT NULL DEFAULT 0,
    relations_removed INTEGER NOT NULL DEFAULT 0,
    duration_sum_ms REAL NOT NULL DEFAULT 0,
    PRIMARY KEY (project, hour, status)
  ) WITHOUT ROWID;`,
  // 1 -> 2: searches that found nothing, newest first, without scanning the log.
  `CREATE INDEX query_log_project_zero_ts ON query_log(project, ts) WHERE result_count = 0 AND status = 'ok';`,
  // 2 -> 3: Night Gardener runs, federation history, and the audit trail.
  `CREATE TABLE garden_runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    project TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    status TEXT NOT NULL CHECK (status IN ('running', 'ok', 'failed')),
    trigger TEXT NOT NULL CHECK (trigger IN ('schedule', 'manual')),
    pid INTEGER,
    entities_merged INTEGER NOT NULL DEFAULT 0,
    orphans_pruned INTEGER NOT NULL DEFAULT 0,
    relations_decayed INTEGER NOT NULL DEFAULT 0,
    entities_boosted INTEGER NOT NULL DEFAULT 0,
    duration_ms REAL,
    error TEXT
  );
  CREATE INDEX garden_runs_project_started ON garden_runs(project, started_at);

  CREATE TABLE federation_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    ts TEXT NOT NULL,
    project TEXT NOT NULL,
    direction TEXT NOT NULL CHECK (direction IN ('export', 'import')),
    issuer TEXT,
    -- SHA-256 of the envelope's signature: the same envelope has the same id.
    envelope_id TEXT,
    status TEXT NOT NULL CHECK (status IN ('ok', 'refused')),
    reason TEXT,
    entities INTEGER NOT NULL DEFAULT 0,
    relations INTEGER NOT NULL DEFAULT 0,
    chunks INTEGER NOT NULL DEFAULT 0,
    file TEXT
  );
  CREATE INDEX federation_log_project_ts ON federation_log(project, ts);

  CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    ts TEXT NOT NULL,
    project TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT,
    detail_json TEXT NOT NULL DEFAULT '{}'
  );
  CREATE INDEX audit_log_project_ts ON audit_log(project, ts);`,
  // 3 -> 4: identity inside a tenant. Who a search or an ingest was for, and by which API key; the
  // keys themselves (a hash, never the key); calls per user and day; the audit trail's outcome.
  // `events` keeps the Python columns only: the user, memory and key go into its metadata_json.
  `ALTER TABLE query_log ADD COLUMN key_prefix TEXT;
  ALTER TABLE query_log ADD COLUMN key_env TEXT;
  CREATE INDEX query_log_project_memory ON query_log(project, memory_id, ts);
  ALTER TABLE ingest_runs ADD COLUMN user_id TEXT;
  ALTER TABLE ingest_runs ADD COLUMN memory_id TEXT;
  ALTER TABLE ingest_runs ADD COLUMN key_prefix TEXT;
  CREATE INDEX ingest_runs_project_user ON ingest_runs(project, user_id, ts);

  CREATE TABLE user_rollup_daily (
    project TEXT NOT NULL,
    user_id TEXT NOT NULL,
    day TEXT NOT NULL,
    calls INTEGER NOT NULL DEFAULT 0,
    searches INTEGER NOT NULL DEFAULT 0,
    errors INTEGER NOT NULL DEFAULT 0,
    last_call_at TEXT NOT NULL,
    PRIMARY KEY (project, user_id, day)
  ) WITHOUT ROWID;

  CREATE TABLE api_keys (
    id TEXT PRIMARY KEY,
    project TEXT NOT NULL,
    -- The key's first characters (hm_live_… plus 8 random ones): shown in lists and logs, not enough to use.
    prefix TEXT NOT NULL,
    -- SHA-256 of the whole key, hex: a key is 256 random bits, so a fast hash is enough.
    hash TEXT NOT NULL UNIQUE,
    name TEXT,
    env TEXT NOT NULL CHECK (env IN ('live', 'test', 'dev')),
    scopes TEXT NOT NULL,
    user_id TEXT,
    created_at TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at TEXT,
    -- Set when the key was rotated: the key that replaced it.
    replaced_by TEXT
  );
  CREATE INDEX api_keys_project ON api_keys(project, created_at);

  ALTER TABLE audit_log ADD COLUMN result TEXT NOT NULL DEFAULT 'ok';
  ALTER TABLE audit_log ADD COLUMN reason TEXT;
  ALTER TABLE audit_log ADD COLUMN key_prefix TEXT;
  ALTER TABLE audit_log ADD COLUMN end_user TEXT;
  CREATE INDEX audit_log_project_actor ON audit_log(project, actor, ts);
  CREATE INDEX audit_log_project_action ON audit_log(project, action, ts);`,
  // 4 -> 5: why a search returned each chunk: its score, its ranks in the text and graph lists, and
  // the entities the graph reached it through (lib/store/chunk-hits.ts). Older rows keep '[]'.
  `ALTER TABLE query_log ADD COLUMN chunk_hits TEXT NOT NULL DEFAULT '[]';`,
  // 5 -> 6: the query log's free-text filter reads a trigram index of the query text (LIKE
  // semantics), kept by triggers in the same transaction as each row, so the dashboard's search
  // costs what it finds rather than what the log holds (lib/read/query-text.ts). External content:
  // the text is stored once, in query_log. detail=none: a LIKE needs only which rows hold each
  // trigram (FTS5 tests each candidate's text itself), at about a third of the full index's size.
  // Existing rows are indexed here.
  `CREATE VIRTUAL TABLE query_log_text USING fts5(
    query, content='query_log', content_rowid='id', tokenize='trigram', detail=none
  );
  CREATE TRIGGER query_log_text_insert AFTER INSERT ON query_log BEGIN
    INSERT INTO query_log_text(rowid, query) VALUES (new.id, new.query);
  END;
  CREATE TRIGGER query_log_text_delete AFTER DELETE ON query_log BEGIN
    INSERT INTO query_log_text(query_log_text, rowid, query) VALUES ('delete', old.id, old.query);
  END;
  CREATE TRIGGER query_log_text_update AFTER UPDATE OF query ON query_log BEGIN
    INSERT INTO query_log_text(query_log_text, rowid, query) VALUES ('delete', old.id, old.query);
    INSERT INTO query_log_text(rowid, query) VALUES (new.id, new.query);
  END;
  INSERT INTO query_log_text(query_log_text) VALUES ('rebuild');`,
  // 6 -> 7: the text index merges its segments 16 at a time instead of FTS5's 4. Each search the
  // writer records adds a small segment, and merging 4 at a time rewrites every trigram list once
  // per level, a level more for each fourfold growth: at 10M calls that was most of the recorder's
  // cost per call (580 µs against 230 µs; docs/performance.md). A crisis merge (everything on a level
  // at once, in one commit) only past 64 segments, so that the incremental merges keep up first.
  `INSERT INTO query_log_text(query_log_text, rank) VALUES ('automerge', 16);
  INSERT INTO query_log_text(query_log_text, rank) VALUES ('crisismerge', 64);`,
  // 7 -> 8: the latency sort reads a (project, day, latency) index a day at a time
  // (lib/read/query-log.ts) instead of one on (project, latency). Each recorded call's latency
  // landed anywhere in that index, one random page per insert once it outgrew the cache; under a
  // day, each lands among today's entries. Built here from the existing rows: 38 s for a log of
  // 8M searches on the bench machine, once, when the writer starts.
  `DROP INDEX query_log_project_latency;
  CREATE INDEX query_log_project_day_latency ON query_log(project, substr(ts, 1, 10), latency_ms);`,
];

export const METRICS_TABLES = [
  'events',
  'srmkg_decisions',
  'ingest_runs',
  'query_log',
  'call_rollup_hourly',
  'ingest_rollup_hourly',
  'garden_runs',
  'federation_log',
  'audit_log',
  'user_rollup_daily',
  'api_keys',
] as const;
