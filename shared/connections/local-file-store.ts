import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {
  type ConnectionMetadata,
  type ConnectionStatus,
  type ConnectionStore,
  metadataOf,
  type NewConnection,
  type StoredConnection,
} from './store';

type FileShape = Record<string, StoredConnection>;

/**
 * The local stack's ConnectionStore: all connections in one file, encrypted with AES-256-GCM under a
 * 32-byte key kept beside it (0600). Writes are atomic (temp file + rename) and serialised in-process.
 */
export class LocalFileConnectionStore implements ConnectionStore {
  private readonly key: Buffer;
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly file: string,
    key: Buffer,
  ) {
    if (key.length !== 32) throw new Error('the local credential key must be 32 bytes');
    this.key = key;
  }

  /** Opens `<dir>/connections.enc`, creating `<dir>/connections.key` on first use. */
  static open(dir: string): LocalFileConnectionStore {
    fs.mkdirSync(dir, { recursive: true });
    const keyFile = path.join(dir, 'connections.key');
    if (!fs.existsSync(keyFile))
      fs.writeFileSync(keyFile, randomBytes(32).toString('base64'), { mode: 0o600 });
    const key = Buffer.from(fs.readFileSync(keyFile, 'utf8').trim(), 'base64');
    return new LocalFileConnectionStore(path.join(dir, 'connections.enc'), key);
  }

  private read(): FileShape {
    if (!fs.existsSync(this.file)) return {};
    const blob = fs.readFileSync(this.file);
    const iv = blob.subarray(0, 12);
    const tag = blob.subarray(12, 28);
    const decipher = createDecipheriv('aes-256-gcm', this.key, iv);
    decipher.setAuthTag(tag);
    const plain = Buffer.concat([decipher.update(blob.subarray(28)), decipher.final()]);
    return JSON.parse(plain.toString('utf8')) as FileShape;
  }

  private write(data: FileShape) {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const enc = Buffer.concat([cipher.update(JSON.stringify(data), 'utf8'), cipher.final()]);
    const tmp = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, Buffer.concat([iv, cipher.getAuthTag(), enc]), { mode: 0o600 });
    fs.renameSync(tmp, this.file);
  }

  private mutate<T>(fn: (data: FileShape) => T): Promise<T> {
    const run = this.chain.then(() => {
      const data = this.read();
      const out = fn(data);
      this.write(data);
      return out;
    });
    this.chain = run.catch(() => undefined);
    return run;
  }

  private static id(tenantId: string, connectionId: string) {
    return `${tenantId}/${connectionId}`;
  }

  put(conn: NewConnection): Promise<ConnectionMetadata> {
    return this.mutate((data) => {
      const id = LocalFileConnectionStore.id(conn.tenantId, conn.connectionId);
      const now = new Date().toISOString();
      const stored: StoredConnection = {
        ...conn,
        status: 'active',
        createdAt: data[id]?.createdAt ?? now,
        updatedAt: now,
      };
      data[id] = stored;
      return metadataOf(stored);
    });
  }

  async get(tenantId: string, connectionId: string) {
    await this.chain;
    return this.read()[LocalFileConnectionStore.id(tenantId, connectionId)];
  }

  async getMetadata(tenantId: string, connectionId: string) {
    const c = await this.get(tenantId, connectionId);
    return c ? metadataOf(c) : undefined;
  }

  async list(tenantId: string) {
    await this.chain;
    return Object.values(this.read())
      .filter((c) => c.tenantId === tenantId)
      .map(metadataOf)
      .sort((a, b) => a.connectionId.localeCompare(b.connectionId));
  }

  delete(tenantId: string, connectionId: string) {
    return this.mutate((data) => {
      const id = LocalFileConnectionStore.id(tenantId, connectionId);
      const existed = id in data;
      delete data[id];
      return existed;
    });
  }

  updateCredentials(tenantId: string, connectionId: string, credentials: unknown) {
    return this.mutate((data) => {
      const c = data[LocalFileConnectionStore.id(tenantId, connectionId)];
      if (!c) throw new Error('connection not found');
      c.credentials = credentials;
      c.updatedAt = new Date().toISOString();
    });
  }

  setStatus(tenantId: string, connectionId: string, status: ConnectionStatus, reason?: string) {
    return this.mutate((data) => {
      const c = data[LocalFileConnectionStore.id(tenantId, connectionId)];
      if (!c) return;
      c.status = status;
      c.statusReason = reason;
      c.updatedAt = new Date().toISOString();
    });
  }
}
