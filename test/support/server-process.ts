// The tests' way to run the Node server as a child process: scripts/lib/server-process.ts,
// shared with the crash soak and the benchmarks.
export { runToExit, startServerProcess, type FinishedProcess, type ServerOptions, type ServerProcess } from '../../scripts/lib/server-process.js';
