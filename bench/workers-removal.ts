// A member removal (POST /api/investigator/admin/members/:memberId/remove) in an organisation of
// 10,000 cases against the same removal in one of none, in the same workerd, alternating: each
// unit has a witness holding the keys (so the rotation the removal starts stays pending, as in a
// real unit) and a row of members who joined and were given the keys. The administrator's device
// removes one (web/client/admin.ts removeMember: a new key version sealed to those who remain),
// then cancels the pending rotation so the next removal starts from the same state.
import { cancelRotation, removeMember } from '../web/client/admin.js';
import { joinWithKeys, type Fixture, type Unit } from './workers-fixture.js';

export const REMOVAL_ROUTE = 'POST /api/investigator/admin/members/:memberId/remove';

export function removalTag(unit: 'large' | 'empty', largeCases: number): string {
  return unit === 'large' ? `${largeCases.toLocaleString('en-GB')} cases` : '0 cases';
}

export async function driveRemovals(f: Fixture, removals: number): Promise<void> {
  const units: { unit: Unit; tag: string; leaving: string[] }[] = [
    { unit: f.large, tag: removalTag('large', f.largeCases), leaving: [] },
    { unit: f.empty, tag: removalTag('empty', f.largeCases), leaving: [] },
  ];
  for (const u of units) {
    await joinWithKeys(f.api, u.unit.admin, `${u.unit.admin.username}-witness`);
    for (let i = 0; i < removals; i++) u.leaving.push(await joinWithKeys(f.api, u.unit.admin, `${u.unit.admin.username}-${i}`));
  }
  for (let i = 0; i < removals; i++) {
    for (const u of units) {
      await f.meter.tagged(u.tag, async () => {
        await removeMember(f.api, u.unit.admin, u.leaving[i]!);
        await cancelRotation(f.api, u.unit.admin);
      });
    }
  }
}
