import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryWorkflowStore, type WorkflowStore } from '@kyso/workflow';
import { SqliteWorkflowStore } from '@kyso/workflow/sqlite';
import { PostgresWorkflowStore } from '@kyso/workflow/postgres';
import { startPostgres, type TestPostgres } from './postgres.js';

/** How a test suite gets fresh stores of one kind. */
export interface StoreKind {
  readonly name: 'memory' | 'sqlite' | 'postgres';
  setup(): Promise<void>;
  /** A fresh, initialised, empty store. */
  create(): Promise<WorkflowStore>;
  /** Another handle on the same storage as `store` (same file / database); memory returns the same object. */
  reopen(store: WorkflowStore): Promise<WorkflowStore>;
  /** Where a child process finds the store: `sqlite:FILE` or a postgres URL. */
  locator(store: WorkflowStore): string;
  teardown(): Promise<void>;
}

export function memoryKind(): StoreKind {
  return {
    name: 'memory',
    async setup() {},
    async create() {
      return new MemoryWorkflowStore();
    },
    async reopen(s) {
      return s;
    },
    locator() {
      throw new Error('a memory store cannot be shared with another process');
    },
    async teardown() {},
  };
}

export function sqliteKind(): StoreKind {
  let dir = '';
  let n = 0;
  const files = new WeakMap<WorkflowStore, string>();
  const opened: WorkflowStore[] = [];
  return {
    name: 'sqlite',
    async setup() {
      dir = mkdtempSync(join(tmpdir(), 'kyso-sqlite-'));
    },
    async create() {
      const file = join(dir, `t${++n}.db`);
      const s = new SqliteWorkflowStore(file);
      await s.init();
      files.set(s, file);
      opened.push(s);
      return s;
    },
    async reopen(store) {
      const file = files.get(store)!;
      const s = new SqliteWorkflowStore(file);
      await s.init();
      files.set(s, file);
      opened.push(s);
      return s;
    },
    locator(store) {
      return `sqlite:${files.get(store)!}`;
    },
    async teardown() {
      for (const s of opened) await s.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function postgresKind(): StoreKind {
  let server: TestPostgres | undefined;
  let n = 0;
  const urls = new WeakMap<WorkflowStore, string>();
  const opened: WorkflowStore[] = [];
  return {
    name: 'postgres',
    async setup() {
      server = await startPostgres();
    },
    async create() {
      const url = await server!.createDatabase(`kyso_t${++n}`);
      const s = new PostgresWorkflowStore(url);
      await s.init();
      urls.set(s, url);
      opened.push(s);
      return s;
    },
    async reopen(store) {
      const url = urls.get(store)!;
      const s = new PostgresWorkflowStore(url);
      await s.init();
      urls.set(s, url);
      opened.push(s);
      return s;
    },
    locator(store) {
      return urls.get(store)!;
    },
    async teardown() {
      for (const s of opened) await s.close().catch(() => undefined);
      await server?.stop();
    },
  };
}

export const ALL_KINDS = [memoryKind, sqliteKind, postgresKind];
