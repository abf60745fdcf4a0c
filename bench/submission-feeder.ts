// A child process that makes submissions on demand for the soak, which sends too many to
// pre-build: the load generator asks for batches and keeps a queue ahead of the load.
import type { VerifiedConfig as InstanceConfig, VerifiedOrganisation as PublicOrganisation } from '../web/client/reporter.js';
import { sodiumReady } from '../web/protocol/index.js';
import { makeSubmissionBodies } from './submissions.js';
import { stopWithParent } from './child.js';

export interface FeederSpec {
  config: InstanceConfig;
  org: PublicOrganisation;
  plaintextBytes: number;
}

type FeederRequest = { type: 'init'; spec: FeederSpec } | { type: 'more'; count: number };

stopWithParent('submission-feeder', 6 * 3600, () => undefined);
await sodiumReady();
let spec: FeederSpec | undefined;
process.on('message', (message: FeederRequest) => {
  if (message.type === 'init') spec = message.spec;
  else if (spec) process.send!({ type: 'batch', bodies: makeSubmissionBodies(spec.config, spec.org, message.count, spec.plaintextBytes) });
});
process.send!({ type: 'ready' });
