// The reporter's part upload against the Workers limit probe (issue 16), interleaved: each round
// uploads one part through Parley (a fresh report's file, uploaded by the real client; only the
// PUT of the part is counted) and then makes the probe's two requests of the same length — the
// irreducible upload, and the bare read, hash and R2 put — so machine noise lands on all three alike.
import { fetchInstanceConfig } from '../web/client/reporter.js';
import { fileCipherLength } from '../web/protocol/file-lengths.js';
import { median } from './report.js';
import type { Fixture } from './workers-fixture.js';
import { reportWithFile } from './workers-routes.js';
import type { WorkersLimitProbe } from './workers-limit.js';

const PART_ROUTE = 'PUT /api/mailbox/files/:fileId/parts/:part';
/** Left out of each size's figures, as the route table leaves out each kind's first 3. */
export const UPLOAD_WARM_UP = 3;

export interface UploadAgainstLimit {
  /** The part's length in bytes. */
  partBytes: number;
  rounds: number;
  parleyMs: number;
  limitMs: number;
  bareMs: number;
  /** Median over rounds of Parley ÷ limit in that round. */
  ratio: number;
}

/** `fileSizes`: content sizes whose one part is measured (each file one part). */
export async function uploadsAgainstLimit(f: Fixture, probe: WorkersLimitProbe, fileSizes: readonly number[], rounds: number): Promise<UploadAgainstLimit[]> {
  const config = await fetchInstanceConfig(f.api);
  // Filed with the receiving unit, so the measured unit's case list stays as the route table found it.
  const org = config.organisations.find((o) => o.id === f.receiver.orgId)!;
  const rows = new Map(fileSizes.map((size) => [size, { parley: [] as number[], limit: [] as number[], bare: [] as number[] }]));
  for (let round = 0; round < rounds + UPLOAD_WARM_UP; round++) {
    for (const size of fileSizes) {
      const bytes = fileCipherLength(size);
      const { upload } = await reportWithFile(f.api, config, org, size);
      const tag = `limit comparison ${round} ${size}`;
      await f.meter.tagged(tag, upload);
      const put = f.meter.samples.filter((s) => s.tag === tag && s.route === PART_ROUTE);
      if (put.length !== 1 || put[0]!.status !== 204) throw new Error(`expected one stored part in round ${round}, got ${put.map((s) => s.status).join(', ')}`);
      // Parley's PUT follows the client's challenge request to the same process; the probe's, likewise, a request of its own.
      await probe.measure('empty');
      const limit = await probe.measure('limit-part', bytes);
      const bare = await probe.measure('bare-part', bytes);
      if (round < UPLOAD_WARM_UP) continue;
      const row = rows.get(size)!;
      row.parley.push(put[0]!.cpuMs.runtime);
      row.limit.push(limit);
      row.bare.push(bare);
    }
  }
  return fileSizes.map((size) => {
    const { parley, limit, bare } = rows.get(size)!;
    return { partBytes: fileCipherLength(size), rounds, parleyMs: median(parley), limitMs: median(limit), bareMs: median(bare), ratio: median(parley.map((p, i) => p / limit[i]!)) };
  });
}
