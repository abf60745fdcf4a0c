-- Intake is counted in memory now: a count per minute in the database dated reports finer than the day.
DROP TABLE `intake_counters`;--> statement-breakpoint
-- `challenges` now holds spent challenges only; the issued-but-unspent rows of before are not needed.
DELETE FROM `challenges`;
