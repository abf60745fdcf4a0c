// Instance-wide settings made once and kept: the public mailbox KDF salt and the key
// that makes stand-in salts for unknown usernames.
import { eq } from 'drizzle-orm';
import type { ParleyDb } from '../database.js';
import { instanceSettings } from '../schema.js';

export async function getOrCreateSetting(db: ParleyDb, key: string, make: () => string): Promise<string> {
  await db.insert(instanceSettings).values({ key, value: make() }).onConflictDoNothing();
  const row = await db.select().from(instanceSettings).where(eq(instanceSettings.key, key)).get();
  if (!row) throw new Error(`instance setting ${key} missing after insert`);
  return row.value;
}

export async function getSetting(db: ParleyDb, key: string): Promise<string | undefined> {
  return (await db.select().from(instanceSettings).where(eq(instanceSettings.key, key)).get())?.value;
}

export async function setSetting(db: ParleyDb, key: string, value: string): Promise<void> {
  await db.insert(instanceSettings).values({ key, value }).onConflictDoUpdate({ target: instanceSettings.key, set: { value } });
}

