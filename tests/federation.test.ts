import os from 'node:os';
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { Engine } from '../lib/engine/engine';
import {
  canonicalJson,
  compareCodePoints,
  JsonFloat,
  pythonFloatRepr,
  type JsonValue,
} from '../lib/engine/federation/canonical-json';
import { envelopeIdOf, signatureOf, type JsonObject } from '../lib/engine/federation/envelope';
import { exportGraph, importEnvelope } from '../lib/engine/federation/operations';
import { parseJson } from '../lib/engine/federation/parse-json';
import { FederationRefusal, REFUSALS } from '../lib/engine/federation/refusals';
import { entityId } from '../lib/store/ids';
import { isoTimestamp } from '../lib/store/time';
import {
  connectHttp,
  createApiKey,
  makeTenant,
  openEngine,
  query,
  runCli,
  startHttpWriter,
  stopProcess,
  writeFile,
  type Tenant,
} from './helpers';

// A non-ASCII secret: the key is its UTF-8 bytes on both sides.
const SECRET = 'fédération-clé-🔑-shared';
const WITH_SECRET = { HYDRAMEM_FEDERATION_SECRET: SECRET };

let engine: Engine | null = null;
afterEach(() => {
  engine?.close();
  engine = null;
});

function python(script: string, input: string): string {
  const result = spawnSync('python3', ['-c', script], {
    input,
    encoding: 'utf8',
    env: { ...process.env, PYTHONUTF8: '1', PYTHONIOENCODING: 'utf-8' },
  });
  if (result.status !== 0) throw new Error(`python3 failed: ${result.stderr}`);
  return result.stdout;
}

const graphFile = (tenant: Tenant): string => path.join(tenant.dataDir, 'graph.db');
const metricsFile = (tenant: Tenant): string => path.join(tenant.dataDir, 'metrics.db');

/** Every row of every graph table, hashed, plus the file's bytes: "nothing was written" made checkable. */
function graphDigest(tenant: Tenant): string {
  const db = new Database(graphFile(tenant), { readonly: true });
  const hash = createHash('sha256');
  try {
    const tables = db
      .prepare<[], { name: string }>(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'chunks_fts%' AND name NOT LIKE 'sqlite_%' ORDER BY name",
      )
      .all();
    for (const { name } of tables)
      hash.update(`${name}:${JSON.stringify(db.prepare(`SELECT * FROM ${name} ORDER BY 1, 2`).all())}`);
  } finally {
    db.close();
  }
  hash.update(fs.readFileSync(graphFile(tenant)));
  return hash.digest('hex');
}

function lastLog(tenant: Tenant) {
  return query<{ direction: string; status: string; reason: string | null; issuer: string | null; envelope_id: string | null }>(
    metricsFile(tenant),
    'SELECT direction, status, reason, issuer, envelope_id FROM federation_log ORDER BY id DESC LIMIT 1',
  )[0];
}

/** Notes with links, tags, front matter and non-ASCII names, plus a private per-user memory. */
/** The importing tenant, with one note of its own already ingested. */
function seedBeta(): Tenant {
  const beta = makeTenant('beta', WITH_SECRET);
  writeFile(beta.kms, 'own.md', '# Own Note\n\nBeta keeps its own [[Runbook Index]].\n');
  const betaEngine = openEngine(beta);
  try {
    betaEngine.ingest(beta.kms, { source: 'test' });
  } finally {
    betaEngine.close();
  }
  return beta;
}

function seedAlpha(tenant: Tenant): void {
  writeFile(
    tenant.kms,
    'services/ledger.md',
    '---\ntype: service\nowner: "[[Zoë Åkesson]]"\ntags: [finance]\n---\n# Ledger Service\n\n' +
      'The [[Ledger Service]] reconciles payments every night with the [[Billing Gateway]].\n\n' +
      '## Operations\n\nPaged alerts go to the Payments Desk. See `ledger_sync` and #oncall.\n',
  );
  writeFile(
    tenant.kms,
    'people/zoe.md',
    '---\ntype: person\naliases: [Zoe]\n---\n# Zoë Åkesson\n\nZoë Åkesson runs the [[Ledger Service]] from the Café Ω office.\n',
  );
  writeFile(tenant.kms, 'teams/payments.md', '# Payments Desk\n\nThe Payments Desk watches the [[Billing Gateway]] 🦊.\n');
  engine = openEngine(tenant);
  engine.ingest(tenant.kms, { source: 'test' });
  engine.remember({ text: 'The vault combination is private-fact-4242 for Nadia Quist.', userId: 'nadia' }, 'test');
  engine.close();
  engine = null;
}

/** What an export of `tenant` must carry, computed from its graph.db by this test's own queries. */
function expectedExport(tenant: Tenant) {
  const db = graphFile(tenant);
  const shared = 'c.user_id IS NULL AND c.memory_id IS NULL';
  const chunks = query<{ text: string }>(db, `SELECT c.text FROM chunks c WHERE ${shared} ORDER BY c.text`).map(
    (row) => row.text,
  );
  const mentions = query<{ chunk_text: string; name: string; count: number }>(
    db,
    `SELECT c.text AS chunk_text, e.name, m.count FROM mentions m JOIN chunks c ON c.id = m.chunk_id
     JOIN entities e ON e.id = m.entity_id WHERE ${shared}`,
  );
  const relations = query<{ source: string; target: string; type: string }>(
    db,
    `SELECT f.name AS source, t.name AS target, r.type FROM relations r JOIN entities f ON f.id = r.from_id
     JOIN entities t ON t.id = r.to_id
     WHERE EXISTS (SELECT 1 FROM relation_sources s JOIN documents d ON d.id = s.doc_id
                   WHERE s.relation_id = r.id AND d.user_id IS NULL AND d.memory_id IS NULL)
        OR NOT EXISTS (SELECT 1 FROM relation_sources s WHERE s.relation_id = r.id)`,
  );
  const names = new Set([...mentions.map((m) => m.name), ...relations.flatMap((r) => [r.source, r.target])]);
  return { chunks, mentions, relations, entityNames: [...names].sort() };
}

function graphContent(tenant: Tenant) {
  const db = graphFile(tenant);
  return {
    chunks: query<{ text: string }>(db, 'SELECT text FROM chunks ORDER BY text').map((row) => row.text),
    mentions: query<{ chunk_text: string; name: string; count: number }>(
      db,
      'SELECT c.text AS chunk_text, e.name, m.count FROM mentions m JOIN chunks c ON c.id = m.chunk_id JOIN entities e ON e.id = m.entity_id',
    ),
    relations: query<{ source: string; target: string; type: string }>(
      db,
      'SELECT f.name AS source, t.name AS target, r.type FROM relations r JOIN entities f ON f.id = r.from_id JOIN entities t ON t.id = r.to_id',
    ),
    entityNames: query<{ name: string }>(db, 'SELECT name FROM entities ORDER BY name').map((row) => row.name),
  };
}

const byKey = <T>(rows: T[]): string[] => rows.map((row) => JSON.stringify(row)).sort();

/** CO_OCCURS is undirected: each side stores its ends in its own id order, so compare them as a set. */
const undirected = (rows: Array<{ source: string; target: string; type: string }>) =>
  rows.map((row) =>
    row.type === 'CO_OCCURS' && row.target < row.source ? { ...row, source: row.target, target: row.source } : row,
  );

/** Parses an envelope file, lets `change` edit it, and signs it again (unless told not to). */
function resign(text: string, change: (envelope: JsonObject) => void, secret: string | null = SECRET): string {
  const envelope = parseJson(text) as JsonObject;
  delete envelope.signature;
  change(envelope);
  if (secret !== null) envelope.signature = signatureOf(envelope, secret);
  return canonicalJson(envelope);
}

const hoursAgo = (hours: number): string => isoTimestamp(new Date(Date.now() - hours * 3_600_000));

describe('canonical JSON', () => {
  // JSON texts whose number literals say int or float, as Python's json.loads reads them.
  const vectors = [
    '{"b":1,"a":[1.0,0.5,1e-05,1e+16,123456789.125,-0.0,0,-0,1E5,2.5e-7,1.5E+300]}',
    '{"\\uffff":1,"\\ud83d\\ude00":2,"\\ue000":3,"z":4,"é":5,"\\ud800":6,"𝔘":7,"":8,"A":9,"a":10}',
    '"Zoë 🦊 \\u2028 \\u007f \\u0000 \\u001f \\u0080 \\b\\f\\n\\r\\t \\" \\\\ \\/ <>& \\ud834\\udd1e \\udc00 lone"',
    '[true,false,null,{"nested":{"deep":[[],{},[{}]]}},"",[1,[2,[3.0]]]]',
    '12345678901234567890123',
    '[-12345678901234567890123,9007199254740993,9007199254740991,-9007199254740991]',
    '[0.1,0.2,0.30000000000000004,1e22,1e21,1e300,5e-324,1.7976931348623157e308,100.0,1e15,1e16,0.0001,0.00001]',
    '[123456789012345680000.0,1234567890123456.7,9999999999999998.0,0.001,1.0e-4,-1.25e-5,3.14159,2.5]',
    '{"a":{"b":{"c":"\\u00e9\\u4e2d\\ud834\\udd1e"}},"A":[-1.5e-10],"__proto__":{"x":1.0}}',
    '  {"spaces" : [ 1 , 2.0 ] }\n',
  ];

  it('writes what Python json.dumps(sort_keys=True, separators=(",", ":")) writes', () => {
    const ours = vectors.map((vector) => canonicalJson(parseJson(vector)));
    const theirs = JSON.parse(
      python(
        'import json,sys\nvs=json.loads(sys.stdin.read())\n' +
          'print(json.dumps([json.dumps(json.loads(v),sort_keys=True,separators=(",",":")) for v in vs]))',
        JSON.stringify(vectors),
      ),
    ) as string[];
    expect(ours).toEqual(theirs);
    expect(ours[0]).toBe('{"a":[1.0,0.5,1e-05,1e+16,123456789.125,-0.0,0,0,100000.0,2.5e-07,1.5e+300],"b":1}');
  });

  it("writes every float as Python's repr (random doubles cross-checked with python3)", () => {
    const values: number[] = [];
    const bytes = randomBytes(8 * 3000);
    for (let i = 0; i < 3000; i++) values.push(bytes.readDoubleLE(i * 8));
    for (let exponent = -330; exponent <= 310; exponent++) values.push(Number(`1e${exponent}`), Number(`7.25e${exponent}`));
    for (let i = 0; i < 500; i++) values.push(Math.round(Math.random() * 10 ** (i % 22)) / 10 ** (i % 7), -Math.random());
    const finite = values.filter((value) => Number.isFinite(value));
    const hex = finite.map((value) => {
      const buffer = Buffer.alloc(8);
      buffer.writeDoubleLE(value);
      return buffer.toString('hex');
    });
    const theirs = JSON.parse(
      python(
        'import json,struct,sys\nhs=json.loads(sys.stdin.read())\n' +
          'print(json.dumps([json.dumps(struct.unpack("<d",bytes.fromhex(h))[0]) for h in hs]))',
        JSON.stringify(hex),
      ),
    ) as string[];
    expect(finite.map((value) => pythonFloatRepr(value))).toEqual(theirs);
  });

  it('sorts keys by code point, not by UTF-16 unit as Array.prototype.sort does', () => {
    const keys = ['\u{1F600}', '\uffff', '\ue000', 'z'];
    expect([...keys].sort()).toEqual(['z', '\u{1F600}', '\ue000', '\uffff']);
    expect([...keys].sort(compareCodePoints)).toEqual(['z', '\ue000', '\uffff', '\u{1F600}']);
    expect(canonicalJson({ '\u{1F600}': 1, '\uffff': 2 })).toBe('{"\\uffff":2,"\\ud83d\\ude00":1}');
  });

  it('keeps the int/float distinction through parsing, and refuses numbers it would have to guess', () => {
    expect(parseJson('1.0')).toEqual(new JsonFloat(1));
    expect(parseJson('1')).toBe(1);
    expect(parseJson('123456789012345678901')).toBe(123456789012345678901n);
    expect(canonicalJson(new JsonFloat(1))).toBe('1.0');
    expect(canonicalJson(new JsonFloat(-0))).toBe('-0.0');
    expect(() => canonicalJson(0.5)).toThrow(/not a safe integer; floats must be JsonFloat/);
    expect(() => canonicalJson(new JsonFloat(Number.NaN))).toThrow(/no JSON form/);
    const parsed = parseJson('{"__proto__":{"polluted":true}}') as Record<string, JsonValue>;
    expect(Object.keys(parsed)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    for (const bad of ['NaN', '[Infinity]', '1e400', '{"a":1,}', '[01]', '"\t"', '\ufeff{}', '{} x', '['.repeat(300)]) {
      expect(() => parseJson(bad), bad).toThrow();
    }
  });
});

describe('federation between two tenants', () => {
  it('exports a project with the CLI and imports it into another tenant with everything but private memories', () => {
    const alpha = makeTenant('alpha', WITH_SECRET);
    seedAlpha(alpha);
    const out = path.join(alpha.root, 'alpha.hydramem.json');
    const exported = runCli(['export', out, '--project', 'alpha', '--issuer', 'alpha-node'], alpha.env);
    expect(exported.stderr).toBe('');
    expect(exported.code).toBe(0);
    expect(exported.stdout).toMatch(/^exported project alpha as issuer "alpha-node" to .*alpha\.hydramem\.json: \d+ entities/);
    expect(fs.statSync(out).mode & 0o777).toBe(0o600);
    const text = fs.readFileSync(out, 'utf8');
    expect(text).not.toContain('private-fact-4242');
    expect(/[^\x20-\x7e\n]/.test(text)).toBe(false); // ASCII only, as Python's ensure_ascii writes it

    const expected = expectedExport(alpha);
    expect(expected.chunks.length).toBeGreaterThan(3);
    const beta = seedBeta();
    const before = graphContent(beta);

    const imported = runCli(
      ['import', out, '--accept-issuer', 'someone-else', '--accept-issuer', 'alpha-node', '--json'],
      beta.env,
    );
    expect(imported.stderr).toBe('');
    expect(imported.code).toBe(0);
    const report = JSON.parse(imported.stdout) as Record<string, unknown> & { written: Record<string, number> };
    expect(report).toMatchObject({
      project: 'beta',
      issuer: 'alpha-node',
      source_project: 'alpha',
      chunks: expected.chunks.length,
    });
    expect(report.written).toMatchObject({ chunks_added: expected.chunks.length, chunks_skipped: 0, relations_skipped: 0 });

    const after = graphContent(beta);
    expect(after.chunks).toEqual([...before.chunks, ...expected.chunks].sort());
    expect(byKey(undirected(after.relations))).toEqual(byKey(undirected([...before.relations, ...expected.relations])));
    expect(byKey(after.mentions)).toEqual(byKey([...before.mentions, ...expected.mentions]));
    expect(after.entityNames).toEqual([...new Set([...before.entityNames, ...expected.entityNames])].sort());
    expect(after.chunks.join('\n')).not.toContain('private-fact-4242');

    // Entity ids are recomputed for the importing project; document and chunk ids are kept.
    const entities = query<{ id: string; name: string; project: string }>(
      graphFile(beta),
      'SELECT id, name, project FROM entities',
    );
    for (const entity of entities) expect(entity.id).toBe(entityId('beta', entity.name));
    expect(new Set(entities.map((entity) => entity.project))).toEqual(new Set(['beta']));
    const alphaDocs = query<{ id: string }>(graphFile(alpha), 'SELECT id FROM documents WHERE user_id IS NULL ORDER BY id');
    const betaDocs = query<{ id: string; path: string; source: string }>(
      graphFile(beta),
      "SELECT id, path, source FROM documents WHERE source = 'federation' ORDER BY id",
    );
    expect(betaDocs.map((doc) => doc.id)).toEqual(alphaDocs.map((doc) => doc.id));
    for (const doc of betaDocs) expect(doc.path).toBe(`federation/alpha-node/${doc.id}`);

    engine = openEngine(beta);
    expect(engine.search({ query: 'reconciles payments every night' }).results[0]?.text).toMatch(/reconciles payments/);
    // A later ingest of beta's own folder keeps what was imported.
    engine.ingest(beta.kms, { source: 'test' });
    expect(query(graphFile(beta), "SELECT 1 FROM documents WHERE source = 'federation'")).toHaveLength(alphaDocs.length);
    engine.close();
    engine = null;

    // A newer export of the same notes replaces the imported documents instead of adding to them.
    fs.appendFileSync(path.join(alpha.kms, 'teams/payments.md'), '\nThe desk also reviews [[Refund Queue]] items.\n');
    engine = openEngine(alpha);
    engine.ingest(alpha.kms, { source: 'test' });
    engine.close();
    engine = null;
    expect(runCli(['export', out, '--issuer', 'alpha-node'], alpha.env).code).toBe(0);
    const again = runCli(['import', out, '--accept-issuer', 'alpha-node', '--json'], beta.env);
    expect(again.code).toBe(0);
    expect((JSON.parse(again.stdout) as { written: Record<string, number> }).written.chunks_replaced).toBe(
      expected.chunks.length,
    );
    expect(graphContent(beta).chunks).toEqual([...before.chunks, ...expectedExport(alpha).chunks].sort());

    const logs = query<{ direction: string; status: string; issuer: string; entities: number; chunks: number }>(
      metricsFile(alpha),
      'SELECT direction, status, issuer, entities, chunks FROM federation_log ORDER BY id',
    );
    expect(logs).toEqual([
      {
        direction: 'export',
        status: 'ok',
        issuer: 'alpha-node',
        entities: expected.entityNames.length,
        chunks: expected.chunks.length,
      },
      expect.objectContaining({ direction: 'export', status: 'ok' }),
    ]);
    const audit = query<{ actor: string; action: string; target: string; detail_json: string }>(
      metricsFile(beta),
      'SELECT actor, action, target, detail_json FROM audit_log ORDER BY id',
    );
    expect(audit.map((row) => [row.actor, row.action, row.target])).toEqual([
      [`cli:${os.userInfo().username}`, 'federation.import', out],
      [`cli:${os.userInfo().username}`, 'federation.import', out],
    ]);
    expect(JSON.parse(audit[0]?.detail_json ?? '{}')).toMatchObject({
      status: 'ok',
      issuer: 'alpha-node',
      source_project: 'alpha',
      chunks_added: expected.chunks.length,
      envelope_id: report.envelope_id,
    });
  });

  it('verifies and imports an envelope made by Python, and Python verifies ours', () => {
    const makeEnvelope = `
import datetime, hashlib, hmac, json, sys
cfg = json.loads(sys.stdin.read())
p = cfg["project"]
def eid(name):
    norm = "".join(ch for ch in name.lower() if ch.isalnum())
    return hashlib.md5(f"{p}:{norm}".encode()).hexdigest()[:12]
doc = hashlib.sha256(b"/srv/py/kms/orbit.md").hexdigest()[:16]
def cid(i):
    return hashlib.md5(f"{doc}:{i}".encode()).hexdigest()
names = [("Orbit Planner", "service"), ("Zoë Åkesson", "person"), ("𝔊alaxy Desk", "team")]
now = datetime.datetime.now(datetime.timezone.utc).isoformat()
env = {
    "format": "hydramem-export", "version": 1, "algo": "hmac-sha256", "project": p, "issuer": cfg["issuer"],
    "created_at": now,
    "payload": {
        "entities": [{"id": eid(n), "name": n, "type": t, "project": p} for n, t in names],
        "relations": [
            {"from": eid("Orbit Planner"), "to": eid("Zoë Åkesson"), "relation_type": "OWNER", "confidence": 1.0,
             "verified": True, "session_id": None, "origin_tool": "ingest", "created_at": now,
             "qualifiers": json.dumps({"source_doc": doc, "valid_from": None})},
            {"from": eid("𝔊alaxy Desk"), "to": eid("Orbit Planner"), "relation_type": "SUPPORTS", "confidence": 0.75,
             "verified": False, "session_id": "s-1", "origin_tool": "create_relation", "created_at": now, "qualifiers": "{}"},
            {"from": cid(0), "to": eid("Orbit Planner"), "relation_type": "MENTIONS", "confidence": 1.0,
             "verified": False, "session_id": None, "origin_tool": "ingest", "created_at": now, "qualifiers": "{}"},
        ],
        "chunks": [
            {"id": cid(0), "text": "# Orbit Planner\\n\\nThe Orbit Planner is owned by Zoë Åkesson.", "source": "orbit.md",
             "chunk_idx": 0, "doc_id": doc, "project": p},
            {"id": cid(1), "text": "## Desk\\n\\nThe 𝔊alaxy Desk answers pages about the Orbit Planner.", "source": "orbit.md",
             "chunk_idx": 1, "doc_id": doc, "project": p},
        ],
    },
}
body = json.dumps(env, sort_keys=True, separators=(",", ":"))
env["signature"] = hmac.new(cfg["secret"].encode("utf-8"), body.encode("utf-8"), hashlib.sha256).hexdigest()
sys.stdout.write(json.dumps(env, indent=2, ensure_ascii=cfg["ensure_ascii"]))
`;
    const beta = makeTenant('beta', WITH_SECRET);
    for (const ensureAscii of [true, false]) {
      const file = path.join(beta.root, `python-${ensureAscii}.json`);
      fs.writeFileSync(
        file,
        python(makeEnvelope, JSON.stringify({ project: 'pyproj', issuer: 'py-node', secret: SECRET, ensure_ascii: ensureAscii })),
      );
      const imported = runCli(['import', file, '--accept-issuer', 'py-node'], beta.env);
      expect(imported.stderr).toBe('');
      expect(imported.code).toBe(0);
    }
    const relations = query<{
      from_id: string;
      type: string;
      confidence: number;
      verified: number;
      origin_tool: string;
      qualifiers: string;
    }>(graphFile(beta), 'SELECT from_id, type, confidence, verified, origin_tool, qualifiers FROM relations ORDER BY type');
    expect(relations.map(({ type, confidence, verified, origin_tool }) => ({ type, confidence, verified, origin_tool }))).toEqual(
      [
        { type: 'OWNER', confidence: 1, verified: 1, origin_tool: 'federation' },
        { type: 'SUPPORTS', confidence: 0.75, verified: 0, origin_tool: 'federation' },
      ],
    );
    expect(relations[0]?.from_id).toBe(entityId('beta', 'Orbit Planner'));
    expect(JSON.parse(relations[0]?.qualifiers ?? '{}')).toMatchObject({
      imported_from: { issuer: 'py-node', origin_tool: 'ingest' },
    });
    expect(query(graphFile(beta), 'SELECT name FROM entities ORDER BY name')).toEqual([
      { name: 'Orbit Planner' },
      { name: 'Zoë Åkesson' },
      { name: '𝔊alaxy Desk' },
    ]);
    expect(query(graphFile(beta), 'SELECT chunk_idx, heading FROM chunks ORDER BY chunk_idx')).toEqual([
      { chunk_idx: 0, heading: 'Orbit Planner' },
      { chunk_idx: 1, heading: 'Desk' },
    ]);
    expect(query(graphFile(beta), 'SELECT COUNT(*) AS n FROM mentions')).toEqual([{ n: 1 }]);

    // The other way: Python recomputes the signature of our export and gets the same bytes.
    const out = path.join(beta.root, 'beta.json');
    expect(runCli(['export', out, '--issuer', 'beta-node'], beta.env).code).toBe(0);
    const check = python(
      'import hashlib,hmac,json,sys\ncfg=json.loads(sys.stdin.read())\ntext=open(cfg["file"],encoding="utf-8").read()\n' +
        'env=json.loads(text)\nsig=env.pop("signature")\nbody=json.dumps(env,sort_keys=True,separators=(",",":"))\n' +
        'print(hmac.new(cfg["secret"].encode(),body.encode(),hashlib.sha256).hexdigest()==sig, ' +
        'json.dumps(dict(env,signature=sig),sort_keys=True,separators=(",",":"))+"\\n"==text, ' +
        'sorted({type(r["confidence"]).__name__ for r in env["payload"]["relations"]}))',
      JSON.stringify({ file: out, secret: SECRET }),
    );
    expect(check.trim()).toBe("True True ['float']");
  });
});

describe('refused imports', () => {
  function setup() {
    const alpha = makeTenant('alpha', WITH_SECRET);
    seedAlpha(alpha);
    engine = openEngine(alpha);
    const good = exportGraph(engine, { issuer: 'alpha-node', actor: 'test' }).text;
    engine.close();
    engine = null;
    const beta = seedBeta();
    return { alpha, beta, good };
  }

  it('refuses each bad envelope with its own message and exit code, writing nothing to graph.db', () => {
    const { beta, good } = setup();
    const file = (name: string, content: string | Buffer): string => writeFile(beta.root, name, content);
    const cases: Array<{
      name: string;
      path: string;
      code: number;
      message: RegExp;
      accept?: string[];
      env?: Record<string, string>;
    }> = [
      {
        name: 'missing file',
        path: path.join(beta.root, 'nope.json'),
        code: 10,
        message: /\[unreadable\]: cannot read .*nope\.json: no such file/,
      },
      { name: 'a folder', path: beta.kms, code: 10, message: /\[unreadable\]: cannot read .*kms: it is a folder/ },
      {
        name: 'truncated JSON',
        path: file('cut.json', good.slice(0, 200)),
        code: 11,
        message: /\[malformed-json\]: not valid JSON: .* at character \d+/,
      },
      {
        name: 'not UTF-8',
        path: file('latin1.json', Buffer.from([0x7b, 0x22, 0xe9, 0x22, 0x7d])),
        code: 11,
        message: /\[malformed-json\]: the file is not valid UTF-8/,
      },
      {
        name: 'an array',
        path: file('array.json', '[1, 2]'),
        code: 12,
        message: /\[wrong-format\]: not a HydraMem export: the file holds an array/,
      },
      {
        name: 'another format',
        path: file(
          'format.json',
          resign(good, (e) => void (e.format = 'graphmem-dump')),
        ),
        code: 12,
        message: /\[wrong-format\]: format is "graphmem-dump", expected "hydramem-export"/,
      },
      {
        name: 'version 2',
        path: file(
          'version.json',
          resign(good, (e) => void (e.version = 2)),
        ),
        code: 13,
        message: /\[wrong-version\]: version is 2; this HydraMem reads version 1/,
      },
      {
        name: 'version 1.0',
        path: file(
          'version-float.json',
          resign(good, (e) => void (e.version = new JsonFloat(1))),
        ),
        code: 13,
        message: /version is 1\.0;/,
      },
      {
        name: 'unknown issuer',
        path: file('issuer.json', good),
        accept: ['beta-node', 'gamma'],
        code: 14,
        message: /\[unknown-issuer\]: issuer "alpha-node" is not accepted \(accepted: "beta-node", "gamma"\)/,
      },
      {
        name: 'another algorithm',
        path: file(
          'algo.json',
          resign(good, (e) => void (e.algo = 'hmac-sha512')),
        ),
        code: 15,
        message: /\[unsupported-algorithm\]: algo is "hmac-sha512"; only "hmac-sha256" is supported/,
      },
      {
        name: 'no signature',
        path: file(
          'unsigned.json',
          resign(good, () => undefined, null),
        ),
        code: 16,
        message: /\[bad-signature\]: the signature is missing or is not 64 lowercase hex digits/,
      },
      {
        name: 'tampered payload',
        path: file('tampered.json', good.replace('reconciles payments', 'reconciles refunds')),
        code: 16,
        message:
          /\[bad-signature\]: the signature does not match: the envelope was changed after signing or signed with another HYDRAMEM_FEDERATION_SECRET/,
      },
      {
        name: 'another secret',
        path: file(
          'other-secret.json',
          resign(good, () => undefined, 'not-the-secret'),
        ),
        code: 16,
        message: /\[bad-signature\]: the signature does not match/,
      },
      {
        name: 'too old',
        path: file(
          'old.json',
          resign(good, (e) => void (e.created_at = hoursAgo(200))),
        ),
        code: 17,
        message: /\[expired\]: created at .*, 200\.0 hours ago: older than the maximum age of 168 hours/,
      },
      {
        name: 'older than a configured maximum',
        path: file(
          'two-hours.json',
          resign(good, (e) => void (e.created_at = hoursAgo(2))),
        ),
        env: { HYDRAMEM_FEDERATION_MAX_AGE_HOURS: '1' },
        code: 17,
        message: /2\.0 hours ago: older than the maximum age of 1 hours/,
      },
      {
        name: 'from the future',
        path: file(
          'future.json',
          resign(good, (e) => void (e.created_at = hoursAgo(-2))),
        ),
        code: 17,
        message: /\[expired\]: created at .*, 2\.0 hours in the future/,
      },
      {
        name: 'no timestamp',
        path: file(
          'no-time.json',
          resign(good, (e) => void (e.created_at = 'yesterday')),
        ),
        code: 17,
        message: /\[expired\]: created_at "yesterday" is not an ISO-8601 time with a UTC offset/,
      },
      {
        name: 'signed nonsense',
        path: file(
          'payload.json',
          resign(good, (e) => void ((e.payload as JsonObject).entities = [{ id: 'x', name: 42 }])),
        ),
        code: 19,
        message: /\[invalid-payload\]: payload\.entities\[0\]\.name must be a non-empty string/,
      },
      // Checks run in order: the first failing one is the one reported.
      {
        name: 'version before issuer and signature',
        path: file(
          'order1.json',
          resign(good, (e) => void (e.version = 3), 'wrong'),
        ),
        accept: ['x'],
        code: 13,
        message: /wrong-version/,
      },
      {
        name: 'issuer before algorithm',
        path: file(
          'order2.json',
          resign(good, (e) => void (e.algo = 'none')),
        ),
        accept: ['x'],
        code: 14,
        message: /unknown-issuer/,
      },
      {
        name: 'algorithm before signature',
        path: file(
          'order3.json',
          resign(good, (e) => void (e.algo = 'none'), 'wrong'),
        ),
        code: 15,
        message: /unsupported-algorithm/,
      },
      {
        name: 'signature before age',
        path: file(
          'order4.json',
          resign(good, (e) => void (e.created_at = hoursAgo(500)), 'wrong'),
        ),
        code: 16,
        message: /bad-signature/,
      },
    ];
    const digest = graphDigest(beta);
    for (const testCase of cases) {
      const accept = (testCase.accept ?? ['alpha-node']).flatMap((name) => ['--accept-issuer', name]);
      const result = runCli(['import', testCase.path, ...accept], { ...beta.env, ...testCase.env });
      expect(result.code, testCase.name).toBe(testCase.code);
      expect(result.stderr, testCase.name).toMatch(/^hydramem: federation import refused \[[a-z-]+\]: /);
      expect(result.stderr, testCase.name).toMatch(testCase.message);
      expect(result.stderr.trim().split('\n'), testCase.name).toHaveLength(1);
      expect(graphDigest(beta), testCase.name).toBe(digest);
      const log = lastLog(beta);
      expect(log?.status, testCase.name).toBe('refused');
      const code = /\[([a-z-]+)\]/.exec(result.stderr)?.[1] ?? '';
      expect(log?.reason?.startsWith(`${code}: `), testCase.name).toBe(true);
    }
    const refused = query<{ n: number }>(metricsFile(beta), "SELECT COUNT(*) AS n FROM federation_log WHERE status = 'refused'");
    expect(refused).toEqual([{ n: cases.length }]);
    expect(query(metricsFile(beta), 'SELECT DISTINCT actor, action FROM audit_log')).toEqual([
      { actor: `cli:${os.userInfo().username}`, action: 'federation.import' },
    ]);
    // The claimed issuer is logged even when it is refused; the envelope id only once the signature holds.
    expect(
      query(metricsFile(beta), "SELECT issuer, envelope_id FROM federation_log WHERE reason LIKE 'unknown-issuer:%' LIMIT 1"),
    ).toEqual([{ issuer: 'alpha-node', envelope_id: null }]);
  });

  it('refuses the same envelope twice (replay), and without a secret or an accept list', () => {
    const { beta, good } = setup();
    const file = writeFile(beta.root, 'good.json', good);
    expect(runCli(['import', file, '--accept-issuer', 'alpha-node'], beta.env).code).toBe(0);
    const digest = graphDigest(beta);
    const replay = runCli(['import', file, '--accept-issuer', 'alpha-node'], beta.env);
    expect(replay.code).toBe(18);
    expect(replay.stderr).toMatch(
      new RegExp(
        `^hydramem: federation import refused \\[replay\\]: envelope ${envelopeIdOf(JSON.parse(good).signature)} was already imported into project beta\\n$`,
      ),
    );
    // Re-serialised with other whitespace, it is still the same envelope.
    const reformatted = writeFile(
      beta.root,
      'pretty.json',
      `\n${good.replace('{"algo":', '{ "algo" : ').replace(',"payload":', ',\n  "payload": ')}  `,
    );
    expect(runCli(['import', reformatted, '--accept-issuer', 'alpha-node'], beta.env).code).toBe(18);
    expect(graphDigest(beta)).toBe(digest);
    expect(query(graphFile(beta), 'SELECT issuer FROM federation_imports')).toEqual([{ issuer: 'alpha-node' }]);

    const noSecret = runCli(['import', file, '--accept-issuer', 'alpha-node'], { ...beta.env, HYDRAMEM_FEDERATION_SECRET: '' });
    expect(noSecret.code).toBe(2);
    expect(noSecret.stderr).toMatch(/^hydramem: HYDRAMEM_FEDERATION_SECRET is not set: set it to the HMAC key shared/);
    const noAccept = runCli(['import', file], beta.env);
    expect(noAccept.code).toBe(2);
    expect(noAccept.stderr).toMatch(
      /refusing to import without an accept list: name each trusted issuer with --accept-issuer NAME/,
    );
    const noIssuer = runCli(['export', path.join(beta.root, 'x.json')], beta.env);
    expect(noIssuer.code).toBe(2);
    expect(noIssuer.stderr).toMatch(/--issuer NAME is required/);
    const exportNoSecret = runCli(['export', path.join(beta.root, 'x.json'), '--issuer', 'b'], {
      ...beta.env,
      HYDRAMEM_FEDERATION_SECRET: '',
    });
    expect(exportNoSecret.code).toBe(2);
    const unwritable = runCli(['export', path.join(beta.root, 'missing-dir', 'x.json'), '--issuer', 'b'], beta.env);
    expect(unwritable.code).toBe(10);
    expect(unwritable.stderr).toMatch(/federation export refused \[unreadable\]: cannot write .*x\.json: no such file or folder/);
    expect(lastLog(beta)).toMatchObject({ direction: 'export', status: 'refused' });
    expect(graphDigest(beta)).toBe(digest);

    // A writer without HTTP (an editor's stdio writer) cannot record the exchange for us: say what to do.
    engine = openEngine(beta);
    const held = runCli(['import', file, '--accept-issuer', 'alpha-node'], beta.env);
    expect(held.code).toBe(3);
    expect(held.stderr).toMatch(/Another HydraMem writer holds .* use its export_graph \/ import_graph MCP tools, or stop it/);
  });

  it('applies the maximum age against the engine clock, and imports all or nothing', () => {
    const { beta, good } = setup();
    const createdAt = Date.parse((JSON.parse(good) as { created_at: string }).created_at);
    const digest = graphDigest(beta);
    engine = openEngine(beta, () => new Date(createdAt + 169 * 3_600_000));
    expect(() => importEnvelope(engine as Engine, { text: good, acceptIssuers: ['alpha-node'], actor: 'test' })).toThrow(
      /\[expired\]: created at .*, 169\.0 hours ago/,
    );
    engine.close();
    engine = null;
    expect(graphDigest(beta)).toBe(digest);

    // A failure at the very last statement (the replay guard's row) must undo the whole import.
    const db = new Database(graphFile(beta));
    db.exec("CREATE TRIGGER fail_import BEFORE INSERT ON federation_imports BEGIN SELECT RAISE(ABORT, 'disk on fire'); END;");
    db.close();
    const withTrigger = graphDigest(beta);
    const file = writeFile(beta.root, 'good.json', good);
    const failed = runCli(['import', file, '--accept-issuer', 'alpha-node'], beta.env);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/disk on fire/);
    expect(graphDigest(beta)).toBe(withTrigger);
    expect(lastLog(beta)).toMatchObject({ status: 'refused', reason: 'failed: disk on fire' });
    const cleanup = new Database(graphFile(beta));
    cleanup.exec('DROP TRIGGER fail_import');
    cleanup.close();

    engine = openEngine(beta, () => new Date(createdAt + 167 * 3_600_000));
    const outcome = importEnvelope(engine, { text: good, acceptIssuers: ['alpha-node'], actor: 'test' });
    expect(outcome.written.chunksAdded).toBeGreaterThan(0);
  });

  it('documents one exit code per refusal', () => {
    expect(Object.fromEntries(Object.entries(REFUSALS).map(([code, refusal]) => [code, refusal.exitCode]))).toEqual({
      unreadable: 10,
      'malformed-json': 11,
      'wrong-format': 12,
      'wrong-version': 13,
      'unknown-issuer': 14,
      'unsupported-algorithm': 15,
      'bad-signature': 16,
      expired: 17,
      replay: 18,
      'invalid-payload': 19,
    });
    const relayed = FederationRefusal.fromMessage(new FederationRefusal('replay', 'seen before').message);
    expect(relayed).toMatchObject({ code: 'replay', exitCode: 18, detail: 'seen before' });
    expect(runCli(['import', '--help'], {}).stdout).toMatch(/18 +replay +this envelope was already imported/);
  });
});

describe('federation through a running writer', () => {
  it('imports and exports over MCP while `hydramem serve` holds the data directory', async () => {
    const alpha = makeTenant('alpha', WITH_SECRET);
    seedAlpha(alpha);
    const envelope = path.join(alpha.root, 'alpha.json');
    expect(runCli(['export', envelope, '--issuer', 'alpha-node'], alpha.env).code).toBe(0);

    const beta = makeTenant('beta', WITH_SECRET);
    const { writer, port } = await startHttpWriter(beta);
    const out = path.join(beta.root, 'beta.json');
    try {
      const imported = runCli(['import', envelope, '--accept-issuer', 'alpha-node'], beta.env);
      expect(imported.stderr).toMatch(/asking it at http:\/\/127\.0\.0\.1/);
      expect(imported.code).toBe(0);
      expect(imported.stdout).toMatch(
        /^imported envelope [0-9a-f]{64} from issuer "alpha-node" \(project alpha\) into project beta/,
      );
      const replay = runCli(['import', envelope, '--accept-issuer', 'alpha-node'], beta.env);
      expect(replay.code).toBe(18);
      expect(replay.stderr).toMatch(/federation import refused \[replay\]/);
      const wrongProject = runCli(['export', out, '--issuer', 'beta-node', '--project', 'gamma'], beta.env);
      expect(wrongProject.stderr).toMatch(/this writer serves project beta; it cannot answer export_graph for project gamma/);
      const exported = runCli(['export', out, '--issuer', 'beta-node'], beta.env);
      expect(exported.code).toBe(0);

      const client = await connectHttp(port, createApiKey(beta).key);
      const refused = await client.callTool({
        name: 'import_graph',
        arguments: { envelope: '{}', accept_issuers: ['alpha-node'] },
      });
      expect(refused.isError).toBe(true);
      await client.close();
    } finally {
      await stopProcess(writer);
    }
    // The writer's export verifies like any other.
    const gamma = makeTenant('gamma', WITH_SECRET);
    expect(runCli(['import', out, '--accept-issuer', 'beta-node'], gamma.env).code).toBe(0);
    expect(query(graphFile(gamma), 'SELECT COUNT(*) AS n FROM chunks')).toEqual(
      query(graphFile(alpha), 'SELECT COUNT(*) AS n FROM chunks WHERE user_id IS NULL'),
    );

    const audit = query<{ actor: string; action: string }>(metricsFile(beta), 'SELECT actor, action FROM audit_log ORDER BY id');
    // The command line through the writer, then the test's own key.
    const cli = `cli:${os.userInfo().username}`;
    expect(audit).toEqual([
      { actor: cli, action: 'federation.import' },
      { actor: cli, action: 'federation.import' },
      { actor: cli, action: 'federation.export' },
      { actor: cli, action: 'key.create' },
      { actor: expect.stringMatching(/^key:hm_test_/), action: 'federation.import' },
    ]);
    const events = query<{ tool_name: string }>(
      metricsFile(beta),
      "SELECT tool_name FROM events WHERE tool_name LIKE '%_graph' ORDER BY id",
    );
    expect(events.map((event) => event.tool_name)).toEqual(['import_graph', 'import_graph', 'export_graph', 'import_graph']);
  });
});
