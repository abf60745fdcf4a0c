// Organisations (anti-corruption units) and their public keys.
import { asc, eq, inArray } from 'drizzle-orm';
import type { ParleyDb } from '../database.js';
import { organisations } from '../schema.js';

export type Organisation = typeof organisations.$inferSelect;

export async function listOrganisations(db: ParleyDb): Promise<Organisation[]> {
  return await db.select().from(organisations).orderBy(asc(organisations.name)).all();
}

export async function findOrganisation(db: ParleyDb, id: string): Promise<Organisation | undefined> {
  return db.select().from(organisations).where(eq(organisations.id, id)).get();
}

export async function findOrganisations(db: ParleyDb, ids: readonly string[]): Promise<Organisation[]> {
  if (ids.length === 0) return [];
  return await db.select().from(organisations).where(inArray(organisations.id, [...ids]));
}

