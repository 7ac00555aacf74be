/**
 * graph.db: the knowledge graph. Documents are split into chunks (searchable through FTS5); chunks
 * mention entities; entities are joined by typed, weighted relations whose provenance is kept per
 * document, so re-ingesting or deleting a file removes exactly what it contributed.
 *
 * Relations hold over time (version 5): each row is one period, from `valid_from` (an ingested
 * relation: when a note first stated it) until `valid_until` (NULL: it holds now). When a note's
 * change or deletion takes a relation's last source away, the row is closed (valid_until = then),
 * not deleted, so the graph can say what held at an earlier instant; a note stating it again later
 * opens a new row (a new period). At most one open row per relation and scope. Current reads see
 * open rows only (`currentRelation` in relation-validity.ts); an entity that nothing supports any
 * more still goes, and its closed relations with it.
 */
export const GRAPH_SCHEMA_VERSION = 7;

/** The full-text index's tokenizer since version 7: Porter stemming over unicode61 ("fixes" finds "fixing"). */
const FTS_TOKENIZER = 'porter unicode61 remove_diacritics 2';

/** bm25's column weights: headings count twice the body text. */
export const FTS_BM25_WEIGHTS = '2.0, 1.0';

/** The chunks' full-text index (external content, kept by triggers), as created with a given tokenizer. */
function chunksFts(tokenizer: string): string {
  return `CREATE VIRTUAL TABLE chunks_fts USING fts5(
    heading, text, content='chunks', content_rowid='rowid', tokenize='${tokenizer}'
  );
  -- rank = bm25 with headings weighted twice the body text.
  INSERT INTO chunks_fts(chunks_fts, rank) VALUES ('rank', 'bm25(${FTS_BM25_WEIGHTS})');
  CREATE TRIGGER chunks_fts_insert AFTER INSERT ON chunks BEGIN
    INSERT INTO chunks_fts(rowid, heading, text) VALUES (new.rowid, new.heading, new.text);
  END;
  CREATE TRIGGER chunks_fts_delete AFTER DELETE ON chunks BEGIN
    INSERT INTO chunks_fts(chunks_fts, rowid, heading, text) VALUES ('delete', old.rowid, old.heading, old.text);
  END;
  CREATE TRIGGER chunks_fts_update AFTER UPDATE ON chunks BEGIN
    INSERT INTO chunks_fts(chunks_fts, rowid, heading, text) VALUES ('delete', old.rowid, old.heading, old.text);
    INSERT INTO chunks_fts(rowid, heading, text) VALUES (new.rowid, new.heading, new.text);
  END;`;
}

export const GRAPH_MIGRATIONS: readonly string[] = [
  `CREATE TABLE documents (
    id TEXT PRIMARY KEY,
    project TEXT NOT NULL,
    path TEXT NOT NULL,
    abs_path TEXT,
    title TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    front_matter TEXT NOT NULL DEFAULT '{}',
    bytes INTEGER NOT NULL DEFAULT 0,
    tokens INTEGER NOT NULL DEFAULT 0,
    mtime_ms REAL,
    source TEXT NOT NULL DEFAULT 'file',
    user_id TEXT,
    memory_id TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE INDEX documents_project_path ON documents(project, path);
  CREATE INDEX documents_project_updated ON documents(project, updated_at);

  CREATE TABLE chunks (
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    project TEXT NOT NULL,
    chunk_idx INTEGER NOT NULL,
    heading TEXT,
    text TEXT NOT NULL,
    tokens INTEGER NOT NULL,
    source TEXT NOT NULL,
    user_id TEXT,
    memory_id TEXT
  );
  CREATE INDEX chunks_doc ON chunks(doc_id, chunk_idx);
  CREATE INDEX chunks_project ON chunks(project);

  ${chunksFts('unicode61 remove_diacritics 2')}

  CREATE TABLE entities (
    id TEXT PRIMARY KEY,
    project TEXT NOT NULL,
    name TEXT NOT NULL,
    norm TEXT NOT NULL,
    type TEXT NOT NULL DEFAULT 'concept',
    weight REAL NOT NULL DEFAULT 1.0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE INDEX entities_project_type ON entities(project, type);
  CREATE INDEX entities_project_norm ON entities(project, norm);

  CREATE TABLE entity_aliases (
    project TEXT NOT NULL,
    alias_norm TEXT NOT NULL,
    entity_id TEXT NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
    alias TEXT NOT NULL,
    doc_id TEXT REFERENCES documents(id) ON DELETE CASCADE,
    PRIMARY KEY (project, alias_norm, entity_id)
  );
  CREATE INDEX entity_aliases_entity ON entity_aliases(entity_id);

  CREATE TABLE mentions (
    chunk_id TEXT NOT NULL REFERENCES chunks(id) ON DELETE CASCADE,
    entity_id TEXT NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
    project TEXT NOT NULL,
    count INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (chunk_id, entity_id)
  ) WITHOUT ROWID;
  -- By entity, strongest first: a search reads an entity's top mentions without sorting them all.
  CREATE INDEX mentions_entity ON mentions(entity_id, count DESC);

  CREATE TABLE relations (
    id INTEGER PRIMARY KEY,
    project TEXT NOT NULL,
    from_id TEXT NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
    to_id TEXT NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
    type TEXT NOT NULL,
    weight REAL NOT NULL DEFAULT 1.0,
    confidence REAL NOT NULL DEFAULT 1.0,
    verified INTEGER NOT NULL DEFAULT 0,
    origin_tool TEXT NOT NULL DEFAULT 'ingest',
    session_id TEXT,
    created_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    qualifiers TEXT NOT NULL DEFAULT '{}',
    UNIQUE (project, from_id, to_id, type)
  );
  -- Both ends, strongest first: neighbours of a hub are read from the top, not sorted in full.
  CREATE INDEX relations_from_weight ON relations(from_id, weight DESC);
  CREATE INDEX relations_to ON relations(to_id, weight DESC);
  CREATE INDEX relations_project_type ON relations(project, type);

  -- How much each document contributed to a relation: weight = sum of counts.
  CREATE TABLE relation_sources (
    relation_id INTEGER NOT NULL REFERENCES relations(id) ON DELETE CASCADE,
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    count INTEGER NOT NULL,
    PRIMARY KEY (relation_id, doc_id)
  ) WITHOUT ROWID;
  CREATE INDEX relation_sources_doc ON relation_sources(doc_id);

  -- Precomputed graph statistics the dashboard reads instead of scanning the graph.
  CREATE TABLE graph_stats (
    project TEXT PRIMARY KEY,
    computed_at TEXT NOT NULL,
    stats_json TEXT NOT NULL
  );`,
  // 1 -> 2: envelopes already imported, written in the import's own transaction (replay guard).
  `CREATE TABLE federation_imports (
    project TEXT NOT NULL,
    envelope_id TEXT NOT NULL,
    issuer TEXT NOT NULL,
    created_at TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    PRIMARY KEY (project, envelope_id)
  ) WITHOUT ROWID;`,
  // 2 -> 3: identity inside a tenant. Every graph row carries the scope of the document that made it
  // (NULL user: shared; a user and one of their memories: private), so what a private memory teaches
  // the graph stays in that scope. Users are records; preferences change over time.
  `ALTER TABLE entities ADD COLUMN user_id TEXT;
  ALTER TABLE entities ADD COLUMN memory_id TEXT;
  ALTER TABLE entity_aliases ADD COLUMN user_id TEXT;
  ALTER TABLE entity_aliases ADD COLUMN memory_id TEXT;
  ALTER TABLE mentions ADD COLUMN user_id TEXT;
  ALTER TABLE mentions ADD COLUMN memory_id TEXT;
  ALTER TABLE relations ADD COLUMN user_id TEXT;
  ALTER TABLE relations ADD COLUMN memory_id TEXT;
  UPDATE documents SET memory_id = 'default' WHERE user_id IS NOT NULL AND memory_id IS NULL;
  UPDATE chunks SET memory_id = 'default' WHERE user_id IS NOT NULL AND memory_id IS NULL;
  UPDATE documents SET memory_id = NULL WHERE user_id IS NULL;
  UPDATE chunks SET memory_id = NULL WHERE user_id IS NULL;
  CREATE INDEX entities_scope ON entities(project, user_id, memory_id, norm);
  CREATE INDEX documents_scope ON documents(project, user_id, memory_id);
  CREATE INDEX chunks_scope ON chunks(project, user_id, memory_id);

  CREATE TABLE users (
    project TEXT NOT NULL,
    identifier TEXT NOT NULL,
    attributes TEXT NOT NULL DEFAULT '{}',
    created_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    PRIMARY KEY (project, identifier)
  ) WITHOUT ROWID;

  CREATE TABLE preferences (
    id TEXT PRIMARY KEY,
    project TEXT NOT NULL,
    user_id TEXT NOT NULL,
    category TEXT NOT NULL,
    text TEXT NOT NULL,
    valid_from TEXT NOT NULL,
    valid_until TEXT,
    superseded_by TEXT REFERENCES preferences(id),
    created_at TEXT NOT NULL,
    FOREIGN KEY (project, user_id) REFERENCES users(project, identifier)
  );
  CREATE INDEX preferences_user ON preferences(project, user_id, valid_from);

  -- What a preference is about: (name, type) references, matched by normalised name.
  CREATE TABLE preference_targets (
    preference_id TEXT NOT NULL REFERENCES preferences(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    norm TEXT NOT NULL,
    type TEXT NOT NULL,
    PRIMARY KEY (preference_id, norm, type)
  ) WITHOUT ROWID;
  CREATE INDEX preference_targets_norm ON preference_targets(norm);

  -- Set by this migration when private documents were already there: the writer moves what they
  -- taught the graph into their scope on its next start.
  CREATE TABLE graph_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
  INSERT INTO graph_meta (key, value) SELECT 'rescope_pending', '1' WHERE EXISTS (SELECT 1 FROM documents WHERE user_id IS NOT NULL);`,
  // 3 -> 4: the graph's size after each change, so a total's change over a range is the total now
  // minus the total at the range's start (merges and prunes included). Seeded with the last snapshot.
  `CREATE TABLE graph_size_log (
    project TEXT NOT NULL,
    at TEXT NOT NULL,
    documents INTEGER NOT NULL,
    chunks INTEGER NOT NULL,
    entities INTEGER NOT NULL,
    relations INTEGER NOT NULL,
    PRIMARY KEY (project, at)
  ) WITHOUT ROWID;
  INSERT INTO graph_size_log (project, at, documents, chunks, entities, relations)
    SELECT project, computed_at, COALESCE(json_extract(stats_json, '$.totals.documents'), 0),
      COALESCE(json_extract(stats_json, '$.totals.chunks'), 0), COALESCE(json_extract(stats_json, '$.totals.entities'), 0),
      COALESCE(json_extract(stats_json, '$.totals.relations'), 0)
    FROM graph_stats WHERE json_valid(stats_json);`,
  // 4 -> 5: relations hold over time (see the top of this file). SQLite cannot drop the old UNIQUE
  // (ends, type) constraint in place: relations and relation_sources are rebuilt (relation_sources
  // first, since dropping relations would cascade into it) and renamed back. The new uniqueness is
  // per scope (a user's own relation may join two shared entities) and over open rows only.
  `CREATE TABLE relations_v5 (
    id INTEGER PRIMARY KEY,
    project TEXT NOT NULL,
    from_id TEXT NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
    to_id TEXT NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
    type TEXT NOT NULL,
    weight REAL NOT NULL DEFAULT 1.0,
    confidence REAL NOT NULL DEFAULT 1.0,
    verified INTEGER NOT NULL DEFAULT 0,
    origin_tool TEXT NOT NULL DEFAULT 'ingest',
    session_id TEXT,
    created_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    qualifiers TEXT NOT NULL DEFAULT '{}',
    user_id TEXT,
    memory_id TEXT,
    valid_from TEXT NOT NULL,
    valid_until TEXT
  );
  INSERT INTO relations_v5 (id, project, from_id, to_id, type, weight, confidence, verified, origin_tool, session_id,
      created_at, last_seen_at, qualifiers, user_id, memory_id, valid_from, valid_until)
    SELECT id, project, from_id, to_id, type, weight, confidence, verified, origin_tool, session_id,
      created_at, last_seen_at, qualifiers, user_id, memory_id, created_at, NULL FROM relations;
  CREATE TABLE relation_sources_v5 (
    relation_id INTEGER NOT NULL REFERENCES relations_v5(id) ON DELETE CASCADE,
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    count INTEGER NOT NULL,
    PRIMARY KEY (relation_id, doc_id)
  ) WITHOUT ROWID;
  INSERT INTO relation_sources_v5 (relation_id, doc_id, count) SELECT relation_id, doc_id, count FROM relation_sources;
  DROP TABLE relation_sources;
  DROP TABLE relations;
  ALTER TABLE relations_v5 RENAME TO relations;
  ALTER TABLE relation_sources_v5 RENAME TO relation_sources;
  CREATE UNIQUE INDEX relations_open ON relations(project, from_id, to_id, type, IFNULL(user_id, ''), IFNULL(memory_id, ''))
    WHERE valid_until IS NULL;
  CREATE INDEX relations_from_weight ON relations(from_id, weight DESC);
  CREATE INDEX relations_to ON relations(to_id, weight DESC);
  CREATE INDEX relations_project_type ON relations(project, type);
  CREATE INDEX relation_sources_doc ON relation_sources(doc_id);`,
  // 5 -> 6: relations read from prose keep the sentences that state them, at most a few per document
  // (bounded by the writer), and go with their relation or their document.
  `CREATE TABLE relation_evidence (
    relation_id INTEGER NOT NULL REFERENCES relations(id) ON DELETE CASCADE,
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    ordinal INTEGER NOT NULL,
    sentence TEXT NOT NULL,
    PRIMARY KEY (relation_id, doc_id, ordinal)
  ) WITHOUT ROWID;
  CREATE INDEX relation_evidence_doc ON relation_evidence(doc_id);`,
  // 6 -> 7: the dense search arm and stemming. A chunk's vector (signed bytes, unit-free: cosine only)
  // is keyed by the chunk's rowid and goes with the chunk, or when its text changes, by trigger on
  // every path that deletes chunks; scope is the chunk's (searches join chunks). A plain table, not a
  // sqlite-vec virtual table, so that a connection without the extension (the dashboard's) reads the
  // file as before. The full-text index is rebuilt with Porter stemming.
  `CREATE TABLE chunk_vectors (
    chunk_rowid INTEGER PRIMARY KEY,
    vector BLOB NOT NULL
  );
  CREATE TRIGGER chunk_vectors_chunk_delete AFTER DELETE ON chunks BEGIN
    DELETE FROM chunk_vectors WHERE chunk_rowid = old.rowid;
  END;
  CREATE TRIGGER chunk_vectors_chunk_update AFTER UPDATE OF heading, text ON chunks BEGIN
    DELETE FROM chunk_vectors WHERE chunk_rowid = old.rowid;
  END;
  DROP TRIGGER chunks_fts_insert;
  DROP TRIGGER chunks_fts_delete;
  DROP TRIGGER chunks_fts_update;
  DROP TABLE chunks_fts;
  ${chunksFts(FTS_TOKENIZER)}
  INSERT INTO chunks_fts(chunks_fts) VALUES ('rebuild');`,
];

export const GRAPH_TABLES = [
  'documents',
  'chunks',
  'chunks_fts',
  'entities',
  'entity_aliases',
  'mentions',
  'relations',
  'relation_sources',
  'graph_stats',
  'federation_imports',
  'users',
  'preferences',
  'preference_targets',
  'graph_meta',
  'graph_size_log',
  'relation_evidence',
  'chunk_vectors',
] as const;
