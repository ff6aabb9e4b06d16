// Starts the approval service on a SQLite store.
//   PORT (default 8080; 0 = any free port), HOST (default 127.0.0.1), KYSO_DB (default approvals.db),
//   KYSO_TRUST (a PEM file of trust anchors; default the test PKI's root), KYSO_ROUTE (a route JSON file).
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { pemToDer } from '@kyso/core';
import { parseRoute, Workflow } from '@kyso/workflow';
import { openSqliteStore } from '@kyso/workflow/sqlite';
import { createApprovalService } from './service.js';

const DEFAULT_ROUTE = {
  id: 'qd-ubnd',
  name: 'Quyết định của UBND tỉnh',
  steps: [
    { id: 'drafter', kind: 'initial', assignee: { by: 'citizenId', value: '027190001234' } },
    { id: 'head', kind: 'initial', assignee: { by: 'citizenId', value: '027080005678' } },
    { id: 'leader', kind: 'approve', assignee: { by: 'citizenId', value: '001085012345' }, signature: { placement: { page: 1, x: 320, y: 80, width: 220, height: 70 } } },
    { id: 'clerk', kind: 'issue', assignee: { by: 'uid', value: 'MST:2300000000' }, numbering: { agency: 'UBND', documentType: 'QĐ' } },
  ],
};

const env = process.env;
const trustFile = env['KYSO_TRUST'] ?? new URL('../../../test-fixtures/pki/root.pem', import.meta.url);
const trustAnchors = pemToDer(await readFile(trustFile, 'utf8'), 'CERTIFICATE');
const route = parseRoute(env['KYSO_ROUTE'] ? JSON.parse(await readFile(env['KYSO_ROUTE'], 'utf8')) : DEFAULT_ROUTE);
const store = await openSqliteStore(env['KYSO_DB'] ?? 'approvals.db');
const workflow = new Workflow({ store, trustAnchors });

const server = createApprovalService({ workflow, route, trustAnchors });
server.listen(Number(env['PORT'] ?? 8080), env['HOST'] ?? '127.0.0.1', () => {
  const { address, port } = server.address() as AddressInfo;
  console.log(`approval service on route ${route.id} listening on http://${address}:${port}`);
});

const stop = () => {
  server.close(() => {
    void store.close().then(() => console.log('approval service stopped'));
  });
  server.closeAllConnections();
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
