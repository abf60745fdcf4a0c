// The client decides the least Argon2id cost it accepts; the server only proposes. Tests
// pass a lower floor explicitly; nothing lowers it behind the caller's back.
import { PRODUCTION_KDF, ProtocolError, type KdfParams } from '../protocol/index.js';

export function requireKdfAtLeast(offered: KdfParams, floor: KdfParams = PRODUCTION_KDF): KdfParams {
  if (offered.opsLimit < floor.opsLimit || offered.memLimitBytes < floor.memLimitBytes) {
    throw new ProtocolError('malformed', `the server asks for a weaker key derivation (${offered.opsLimit} passes, ${offered.memLimitBytes} bytes) than this client accepts`);
  }
  return { opsLimit: offered.opsLimit, memLimitBytes: offered.memLimitBytes };
}
