/**
 * One table's COPY … FROM STDIN stream (text format) on a connection of its own, fed row by row:
 * rows are joined into ~256 KB chunks and written with back-pressure, so memory stays flat
 * whatever the row count (issue 5 §1: never a million-row array). Each sink also keeps a SHA-256
 * of its rows with the secret columns (ciphertexts, blind indexes: they depend on the run's key
 * ring and on random IVs) blanked out: the fingerprint that shows the same seed gave the same data.
 */
import { createHash, type Hash } from 'node:crypto';
import { once } from 'node:events';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

export type Value = string | number | boolean | null;

export interface Column {
  name: string;
  /** Encrypted or keyed: left out of the determinism fingerprint. */
  secret?: boolean;
}

const CHUNK_CHARS = 1 << 18;
const NEEDS_ESCAPE = /[\\\t\n\r]/;

/** COPY text format: tab-separated, \N for null, backslash and control characters escaped. */
function field(v: Value): string {
  if (v === null) return '\\N';
  if (typeof v !== 'string') return String(v);
  if (!NEEDS_ESCAPE.test(v)) return v;
  return v.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}

export class CopySink {
  rows = 0;
  private buffer: string[] = [];
  private chars = 0;
  private readonly hash: Hash = createHash('sha256');
  private readonly secret: boolean[];
  private client: pg.Client | null = null;
  private stream: NodeJS.WritableStream | null = null;
  private done: Promise<unknown> | null = null;
  private pending: Promise<unknown> | null = null;
  private failure: Error | null = null;
  startedAt = 0;
  endedAt = 0;

  constructor(
    readonly table: string,
    private readonly columns: readonly Column[],
  ) {
    this.secret = columns.map((c) => !!c.secret);
  }

  /**
   * Opens the connection and the COPY in a transaction of its own. Foreign-key triggers are off
   * for the load (session_replication_role = replica, superuser only): the generator makes every
   * reference by construction, and main.ts checks them with anti-joins afterwards. The schema's
   * only ordinary triggers guard audit_log, which is not loaded here.
   */
  async open(url: string) {
    this.client = new pg.Client({ connectionString: url });
    await this.client.connect();
    await this.client.query('begin');
    await this.client.query('set local session_replication_role = replica');
    const names = this.columns.map((c) => c.name).join(', ');
    const stream = this.client.query(copyFrom(`copy ${this.table} (${names}) from stdin`));
    stream.on('error', (e: Error) => (this.failure ??= e));
    this.done = new Promise((resolve, reject) => {
      stream.on('finish', resolve);
      stream.on('error', reject);
    });
    this.done.catch(() => undefined);
    this.stream = stream;
    this.startedAt = performance.now();
  }

  push(values: readonly Value[]) {
    if (values.length !== this.columns.length)
      throw new Error(`${this.table}: ${values.length} values for ${this.columns.length} columns`);
    const fields = values.map(field);
    const line = fields.join('\t') + '\n';
    this.hash.update(fields.map((f, i) => (this.secret[i] ? '*' : f)).join('\t'));
    this.hash.update('\n');
    this.buffer.push(line);
    this.chars += line.length;
    this.rows++;
    if (this.chars >= CHUNK_CHARS) this.flush();
  }

  private flush() {
    if (this.buffer.length === 0) return;
    const chunk = this.buffer.join('');
    this.buffer = [];
    this.chars = 0;
    if (!this.stream!.write(chunk)) this.pending ??= once(this.stream!, 'drain');
  }

  /** Waits while the server is behind (call between batches of rows). */
  async drain() {
    if (this.failure) throw this.failure;
    if (this.pending) {
      const p = this.pending;
      this.pending = null;
      await p;
    }
  }

  async close(): Promise<void> {
    try {
      this.flush();
      await this.drain();
      this.stream!.end();
      await this.done;
      await this.client!.query('commit');
      this.endedAt = performance.now();
    } finally {
      await this.client?.end();
    }
  }

  digest(): string {
    return this.hash.copy().digest('hex').slice(0, 16);
  }
}
