-- Issue 16: the instance's figures count a span of received days (db/repo/figures.ts). With every
-- fact they count in the index, SQLite reads the index's range alone, never a case's row; the
-- index on received_day alone is its prefix, so it goes.
DROP INDEX `cases_received`;--> statement-breakpoint
CREATE INDEX `cases_received_facts` ON `cases` (`received_day`,`org_id`,`status`,`ack_day`,`ack_due_day`,`feedback_day`,`feedback_due_day`);
