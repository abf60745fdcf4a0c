// A database made under protocol 1 holds organisations, keys and threads without the
// signatures protocol-2 clients verify (key chains, sealed-key signatures, thread links), so
// those clients would refuse every one of its cases. Nothing is converted or deleted: the
// server refuses to start on such a database and says what to do (docs/OPERATIONS.md).
import { getSetting } from '../db/repo/instance.js';
import type { ParleyDb } from '../db/database.js';

export const DATA_PROTOCOL_1_SETTING = 'data_protocol_1';

export class DataProtocolError extends Error {
  constructor(readonly where: string) {
    super(
      `${where} holds data made by Parley protocol 1, which this version (protocol 2) cannot verify, so it will not serve it. ` +
        'Nothing has been changed or deleted. Either keep serving it with the release that made it (git checkout the commit before protocol 2) ' +
        'until its cases are closed, or move the database aside (keep the file: it is your only copy of those reports) and start with an empty one. ' +
        'See docs/OPERATIONS.md, "Upgrading from protocol 1".',
    );
    this.name = 'DataProtocolError';
  }
}

/** Throws DataProtocolError when the database holds protocol-1 data. */
export async function requireProtocol2Data(db: ParleyDb, where: string): Promise<void> {
  if ((await getSetting(db, DATA_PROTOCOL_1_SETTING)) !== undefined) throw new DataProtocolError(where);
}
