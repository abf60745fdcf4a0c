// Organisations (anti-corruption units) and their public keys.
import { asc, eq, inArray, sql } from 'drizzle-orm';
import type { ParleyDb } from '../database.js';
import { preparedOnce } from '../prepared.js';
import { organisations } from '../schema.js';

export type Organisation = typeof organisations.$inferSelect;

// On every report and every thread: compiled once.
export const organisationReads = preparedOnce((db) => ({
  all: db.select().from(organisations).orderBy(asc(organisations.name)).prepare(),
  byId: db.select().from(organisations).where(eq(organisations.id, sql.placeholder('id'))).prepare(),
}));

/** Every organisation, by name. */
export async function listOrganisations(db: ParleyDb): Promise<Organisation[]> {
  return organisationReads(db).all.all({});
}

export async function findOrganisation(db: ParleyDb, id: string): Promise<Organisation | undefined> {
  return organisationReads(db).byId.get({ id });
}

export async function findOrganisations(db: ParleyDb, ids: readonly string[]): Promise<Organisation[]> {
  if (ids.length === 0) return [];
  // A reporter's thread names one organisation: the prepared look-up.
  if (ids.length === 1) {
    const found = await findOrganisation(db, ids[0]!);
    return found ? [found] : [];
  }
  return await db.select().from(organisations).where(inArray(organisations.id, [...ids]));
}


/** An organisation's deadlines, retention and time zone (web/casework), as the settings routes give them. */
export function settingsOf(org: Organisation) {
  return { ackDays: org.ackDays, feedbackMonths: org.feedbackMonths, keepClosedDays: org.keepClosedDays, keepInactiveDays: org.keepInactiveDays, timeZone: org.timeZone };
}

export function updateSettingsStatement(db: ParleyDb, orgId: string, settings: ReturnType<typeof settingsOf>) {
  return db.update(organisations).set(settings).where(eq(organisations.id, orgId));
}
