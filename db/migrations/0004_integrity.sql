CREATE TABLE `case_transfers` (
	`case_id` text NOT NULL,
	`from_org_id` text NOT NULL,
	`to_org_id` text NOT NULL,
	`key_version` integer NOT NULL,
	`sealed_case_key` text NOT NULL,
	`keep_access` integer NOT NULL,
	`offered_by` text NOT NULL,
	`offered_at` integer NOT NULL,
	PRIMARY KEY(`case_id`, `to_org_id`),
	FOREIGN KEY (`case_id`) REFERENCES `cases`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`from_org_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`to_org_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `case_transfers_to` ON `case_transfers` (`to_org_id`);--> statement-breakpoint
CREATE TABLE `write_guards` (
	`guard` text NOT NULL
);
--> statement-breakpoint
ALTER TABLE `investigators` ADD `removed_at` integer;--> statement-breakpoint
ALTER TABLE `org_key_versions` ADD `state` text DEFAULT 'active' NOT NULL;--> statement-breakpoint
ALTER TABLE `org_key_versions` ADD `created_by` text;--> statement-breakpoint
ALTER TABLE `org_keyrings` ADD `confirmed` integer DEFAULT false NOT NULL;--> statement-breakpoint
-- A guard row is never kept: inserting one aborts the whole write with "guard: <id>", which
-- db/atomic.ts turns back into the refusal the guard was made with.
CREATE TRIGGER `write_guards_refuse` BEFORE INSERT ON `write_guards` BEGIN SELECT RAISE(ABORT, 'guard: ' || NEW.guard); END;
