// `npm start`: Parley on Node with embedded SQLite (./data/parley.sqlite by default).
// No request logging: the server must keep no trace of who connected.
import { nodeAppConfig, nodeNoticeSender, readNodeEnv } from './env-node.js';
import { startNodeServer } from './node-server.js';
import { DataProtocolError } from './data-protocol.js';
import { StartupRefusal } from './startup-refusal.js';

const env = readNodeEnv(process.env);
const notices = nodeNoticeSender(env);
const server = await startNodeServer({ host: env.PARLEY_HOST, port: env.PARLEY_PORT, dbPath: env.PARLEY_DB, config: nodeAppConfig(env), serverSecret: process.env.PARLEY_SERVER_SECRET, maxConnections: env.PARLEY_MAX_CONNECTIONS, notices }).catch((error: unknown) => {
  // Conditions an operator must act on are said in words, without a stack trace.
  if (error instanceof StartupRefusal || error instanceof DataProtocolError) {
    console.error(`Parley did not start. ${error.message}`);
    process.exit(1);
  }
  throw error;
});
console.log(`Parley is running on ${server.url} (database ${env.PARLEY_DB}; staff notices by e-mail ${notices ? 'on' : 'off'})`);
if (server.setupLink) console.log(`First run: open this one-time link to create the first organisation and its administrator: ${server.setupLink}`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    void server.close().then(() => process.exit(0));
  });
}
