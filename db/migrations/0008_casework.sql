CREATE TABLE `case_notes` (
	`id` text PRIMARY KEY NOT NULL,
	`case_id` text NOT NULL,
	`org_id` text NOT NULL,
	`author_id` text NOT NULL,
	`envelope` text NOT NULL,
	`signature` text NOT NULL,
	`key_version` integer NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`case_id`) REFERENCES `cases`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`org_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`author_id`) REFERENCES `investigators`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `case_notes_case` ON `case_notes` (`case_id`);--> statement-breakpoint
CREATE TABLE `case_reads` (
	`member_id` text NOT NULL,
	`case_id` text NOT NULL,
	`seen_seq` integer NOT NULL,
	PRIMARY KEY(`member_id`, `case_id`),
	FOREIGN KEY (`member_id`) REFERENCES `investigators`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`case_id`) REFERENCES `cases`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `case_reads_case` ON `case_reads` (`case_id`);--> statement-breakpoint
CREATE TABLE `staff_notices` (
	`member_id` text PRIMARY KEY NOT NULL,
	`activity_seen` integer DEFAULT 0 NOT NULL,
	`notice_day` text,
	FOREIGN KEY (`member_id`) REFERENCES `investigators`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
ALTER TABLE `cases` ADD `ack_due_day` text;--> statement-breakpoint
ALTER TABLE `cases` ADD `feedback_due_day` text;--> statement-breakpoint
ALTER TABLE `cases` ADD `ack_day` text;--> statement-breakpoint
ALTER TABLE `cases` ADD `feedback_day` text;--> statement-breakpoint
ALTER TABLE `cases` ADD `closed_day` text;--> statement-breakpoint
ALTER TABLE `cases` ADD `assigned_to` text REFERENCES investigators(id);--> statement-breakpoint
ALTER TABLE `cases` ADD `last_reporter_seq` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE `investigators` ADD `notice_email` text;--> statement-breakpoint
ALTER TABLE `organisations` ADD `ack_days` integer DEFAULT 7 NOT NULL;--> statement-breakpoint
ALTER TABLE `organisations` ADD `feedback_months` integer DEFAULT 3 NOT NULL;--> statement-breakpoint
ALTER TABLE `organisations` ADD `keep_closed_days` integer DEFAULT 365 NOT NULL;--> statement-breakpoint
ALTER TABLE `organisations` ADD `keep_inactive_days` integer DEFAULT 2190 NOT NULL;--> statement-breakpoint
ALTER TABLE `organisations` ADD `time_zone` text DEFAULT 'Europe/London' NOT NULL;--> statement-breakpoint
ALTER TABLE `organisations` ADD `reporter_activity` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- Backfill (issue 15): due days from the defaults every organisation has at this point (7 days;
-- 3 calendar months, a day the month lacks becoming its last), as web/casework/deadlines.ts counts.
UPDATE `cases` SET `ack_due_day` = date(`received_day`, '+7 days'), `feedback_due_day` = min(date(`received_day`, '+3 months'), date(`received_day`, 'start of month', '+4 months', '-1 day'));--> statement-breakpoint
-- Acknowledged on the day of the unit's first message (before 0008 a wordless status change was not told apart from a reply).
UPDATE `cases` SET `ack_day` = (SELECT min(`day`) FROM `messages` WHERE `messages`.`case_id` = `cases`.`id` AND `messages`.`role` = 'organisation');--> statement-breakpoint
UPDATE `cases` SET `closed_day` = date(`updated_at` / 1000, 'unixepoch') WHERE `status` IN ('closed', 'no_further_action');--> statement-breakpoint
UPDATE `cases` SET `last_reporter_seq` = coalesce((SELECT max(`seq`) FROM `messages` WHERE `messages`.`case_id` = `cases`.`id` AND `messages`.`role` = 'reporter'), 1);--> statement-breakpoint
UPDATE `organisations` SET `reporter_activity` = (SELECT count(*) FROM `messages` JOIN `cases` ON `cases`.`id` = `messages`.`case_id` WHERE `cases`.`org_id` = `organisations`.`id` AND `messages`.`role` = 'reporter');
