import { parseArgs } from 'node:util';
import { resolveConfig } from '../config.js';
import { apiTarget } from './api-client.js';
import { createCredential, DEFAULT_ACCOUNT_ID } from '../auth/credentials.js';
import { openStore, storeOptions } from '../store/database.js';
import { LAMBKIN_VERSION } from '../version.js';

const USAGE = `lambkin ${LAMBKIN_VERSION}

Usage:
  lambkin start [--port N] [--host H] [--data-dir DIR] [--store postgres://user@host/db] [--config FILE]
  lambkin credentials create [--account-id 123456789012] [--data-dir DIR] [--store postgres://…]
  lambkin logs <function> [--follow] [--since 10m] [--region R] [--account-id A] [--data-dir DIR | --store postgres://…]
  lambkin invoke <function> [--payload JSON|@file] [--qualifier Q] [--async] [--tail] [--json]
  lambkin dev <folder> [--name N] [--runtime R] [--handler H] [--event JSON|@file]
  lambkin debug [<function> [--port 9229] [--off]] [--json]
  lambkin functions [--json] [--data-dir DIR | --store postgres://…]
  lambkin deploy [template.yaml] [--stack-name N] [--parameter-overrides K=V …]
  lambkin events <function> [--limit 20] [--json] [--region R] [--account-id A] [--data-dir DIR | --store postgres://…]
  lambkin bill [--month YYYY-MM] [--by function|day|version] [--json] [--account-id A] [--region R] [--data-dir DIR | --store postgres://…]
  lambkin runtimes [--data-dir DIR]
  lambkin runtimes install <runtime>… [--headers] [--data-dir DIR]   (nodejs18.x, nodejs22.x, nodejs24.x: Node from the npm registry)
  lambkin --version

invoke, dev, functions and deploy talk to a running Lambkin: --endpoint-url (else AWS_ENDPOINT_URL, else
the address \`lambkin start\` listens on), --region, and the AWS_ACCESS_KEY_ID pair (else test/test).
`;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      'data-dir': { type: 'string' },
      store: { type: 'string' },
      config: { type: 'string' },
      'account-id': { type: 'string' },
      region: { type: 'string' },
      follow: { type: 'boolean', short: 'f' },
      since: { type: 'string' },
      'endpoint-url': { type: 'string' },
      payload: { type: 'string' },
      qualifier: { type: 'string' },
      async: { type: 'boolean' },
      tail: { type: 'boolean' },
      json: { type: 'boolean' },
      name: { type: 'string' },
      runtime: { type: 'string' },
      handler: { type: 'string' },
      event: { type: 'string' },
      limit: { type: 'string' },
      month: { type: 'string' },
      by: { type: 'string' },
      off: { type: 'boolean' },
      version: { type: 'boolean' },
      headers: { type: 'boolean' },
      'stack-name': { type: 'string' },
      'parameter-overrides': { type: 'string', multiple: true },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.version) {
    process.stdout.write(`${LAMBKIN_VERSION}\n`);
    return 0;
  }
  const [command, sub] = positionals;
  const flags = {
    port: values.port !== undefined ? Number(values.port) : undefined,
    host: values.host,
    dataDir: values['data-dir'],
    store: values.store,
    config: values.config,
  };
  if (command === 'start') return start(flags);
  // Reading commands look where `lambkin start` with the same settings keeps its records.
  const storeSource = () => {
    const config = resolveConfig(flags);
    return { store: config.store, dataDir: config.dataDir };
  };
  // Commands load only what they use: the server's modules take a second to import.
  if (command === 'runtimes' && sub === 'install') {
    const { runtimesInstallCommand } = await import('./runtimes-install-command.js');
    return runtimesInstallCommand(positionals.slice(2), resolveConfig(flags).nodeRuntimesDir, { headers: values.headers ?? false });
  }
  if (command === 'runtimes' && sub === undefined) return (await import('./runtimes-command.js')).runtimesCommand(resolveConfig(flags).nodeRuntimesDir);
  if (command === 'logs' && sub) {
    const { logsCommand } = await import('./logs-command.js');
    return logsCommand({
      ...storeSource(),
      functionName: sub,
      follow: values.follow ?? false,
      since: values.since,
      accountId: values['account-id'],
      region: values.region,
    });
  }
  const json = values.json ?? false;
  const api = () => apiTarget({ ...flags, endpointUrl: values['endpoint-url'], region: values.region });
  if (command === 'invoke' && sub) {
    const { invokeCommand } = await import('./invoke-command.js');
    return invokeCommand({ target: api(), functionName: sub, payload: values.payload, qualifier: values.qualifier, async: values.async ?? false, tail: values.tail ?? false, json });
  }
  if (command === 'dev' && sub) {
    const { devCommand } = await import('./dev-command.js');
    return devCommand({ target: api(), folder: sub, name: values.name, runtime: values.runtime, handler: values.handler, event: values.event });
  }
  if (command === 'debug') {
    const { debugCommand } = await import('./debug-command.js');
    const port = values.port ?? '9229';
    if (!/^\d+$/.test(port) || Number(port) < 1 || Number(port) > 65535) throw new Error('--port must be a TCP port number');
    // --port here is the debugger's, not the server's.
    const target = apiTarget({ ...flags, port: undefined, endpointUrl: values['endpoint-url'], region: values.region });
    return debugCommand({ target, functionName: sub, port: Number(port), off: values.off ?? false, json });
  }
  if (command === 'deploy') {
    const { deployCommand } = await import('./deploy-command.js');
    // `--parameter-overrides A=1 B=2`: the values after the first arrive as positionals.
    const rest = positionals.slice(1);
    const template = rest.find((item) => !item.includes('='));
    const overrides = [...(values['parameter-overrides'] ?? []), ...rest.filter((item) => item.includes('='))];
    return deployCommand({ target: api(), template, stackName: values['stack-name'], parameterOverrides: overrides });
  }
  if (command === 'functions') {
    const { functionsCommand } = await import('./functions-command.js');
    return functionsCommand({ target: api(), ...storeSource(), json });
  }
  if (command === 'events' && sub) {
    const { eventsCommand } = await import('./events-command.js');
    const limit = values.limit === undefined ? 20 : Number(values.limit);
    if (!Number.isInteger(limit) || limit < 1) throw new Error('--limit must be a positive whole number');
    return eventsCommand({ ...storeSource(), functionName: sub, region: api().region, accountId: values['account-id'], limit, json });
  }
  if (command === 'bill') {
    const { billCommand } = await import('./bill-command.js');
    return billCommand({ ...storeSource(), month: values.month, by: values.by, accountId: values['account-id'], region: values.region, json });
  }
  if (command === 'credentials' && sub === 'create') {
    const config = resolveConfig(flags);
    const accountId = values['account-id'] ?? DEFAULT_ACCOUNT_ID;
    if (!/^\d{12}$/.test(accountId)) throw new Error('--account-id must be 12 digits');
    const store = await openStore(storeOptions(config.store, config.dataDir));
    const credential = await createCredential(store, accountId);
    await store.destroy();
    process.stdout.write(`${JSON.stringify(credential, null, 2)}\n`);
    return 0;
  }
  process.stdout.write(USAGE);
  return command === undefined || values.help ? 0 : 2;
}

async function start(flags: Parameters<typeof resolveConfig>[0]): Promise<number> {
  const config = resolveConfig(flags);
  const { startLambkin, StartupRefused } = await import('../server.js');
  let running;
  try {
    running = await startLambkin(config);
  } catch (err) {
    if (err instanceof StartupRefused) {
      process.stderr.write(`lambkin: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
  process.stdout.write(`Lambkin ${LAMBKIN_VERSION} listening on ${running.url} (data: ${config.dataDir})\n`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
  await running.close();
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`lambkin: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    process.exit(1);
  },
);
