// The local AWS emulators (dynalite for DynamoDB, kinesalite for Kinesis) in a process of their own, so that their
// CPU work runs on the machine's other core instead of competing with the handlers in the platform's process.
// Plain CommonJS on purpose: it starts in milliseconds without a TypeScript loader. Started by local/emulators.ts.
'use strict';
const dynalite = require('dynalite');
const kinesalite = require('kinesalite');

const options = JSON.parse(process.env.KOUAN_EMULATOR_OPTIONS || '{}');

function listen(server, port) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server.address().port));
  });
}

function close(server) {
  return new Promise((resolve) => {
    server.close(() => resolve());
    if (server.closeAllConnections) server.closeAllConnections();
  });
}

async function main() {
  const ddb = dynalite({
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
    ...(options.dataDir ? { path: `${options.dataDir}/dynamodb` } : {}),
  });
  const kin = kinesalite({
    createStreamMs: 0,
    deleteStreamMs: 0,
    updateStreamMs: 0,
    shardLimit: 50,
    ...(options.dataDir ? { path: `${options.dataDir}/kinesis` } : {}),
  });
  const [dynamodbPort, kinesisPort] = await Promise.all([
    listen(ddb, options.dynamodbPort || 0),
    listen(kin, options.kinesisPort || 0),
  ]);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await Promise.all([close(ddb), close(kin)]);
    process.exit(0);
  };
  process.on('message', (m) => {
    if (m && m.type === 'stop') stop();
  });
  // The parent went away (crash, kill -9): do not linger.
  process.on('disconnect', stop);
  // Ctrl-C and a group SIGTERM reach us too; the parent decides when we stop (after it drained), so ignore them.
  process.on('SIGTERM', () => undefined);
  process.on('SIGINT', () => undefined);
  process.send({ type: 'ready', dynamodbPort, kinesisPort });
}

main().catch((e) => {
  process.send?.({ type: 'error', message: e?.message ? e.message : String(e) });
  process.exit(1);
});
