-- Issue 16: reads that stay flat however many cases there are. The case list's sort keys on each
-- case key (a page of a unit's cases is one range of an index); the database keeps them equal to
-- the case, so no write path of the app can forget them. And retention's ranges: each rule's due
-- cases per organisation, and the cases a crash left half deleted, marked.
DROP INDEX `case_keys_org`;--> statement-breakpoint
ALTER TABLE `case_keys` ADD `received_day` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `case_keys` ADD `due_day` text DEFAULT '9999-12-31' NOT NULL;--> statement-breakpoint
-- After any write to a case's received day, status or deadlines: its keys' copies. due_day is the
-- next open deadline as web/casework/deadlines.ts nextDueDay counts it (settled: none; the
-- acknowledgement until given; then feedback until given), '9999-12-31' when none is open.
-- The one copy of that rule in SQL (test/casework/list-keys.test.ts holds it to the TypeScript).
CREATE TRIGGER `cases_list_keys` AFTER UPDATE OF `received_day`, `status`, `ack_due_day`, `ack_day`, `feedback_due_day`, `feedback_day` ON `cases` BEGIN UPDATE `case_keys` SET `received_day` = NEW.`received_day`, `due_day` = coalesce(CASE WHEN NEW.`status` IN ('passed_on', 'no_further_action', 'closed') THEN NULL WHEN NEW.`ack_day` IS NULL THEN NEW.`ack_due_day` WHEN NEW.`feedback_day` IS NULL THEN NEW.`feedback_due_day` END, '9999-12-31') WHERE `case_id` = NEW.`id`; END;--> statement-breakpoint
-- A new key takes its case's values by touching the case (the trigger above), so the rule is written once.
CREATE TRIGGER `case_keys_list_keys` AFTER INSERT ON `case_keys` BEGIN UPDATE `cases` SET `received_day` = `received_day` WHERE `id` = NEW.`case_id`; END;--> statement-breakpoint
-- Every key there is now.
UPDATE `cases` SET `received_day` = `received_day`;--> statement-breakpoint
CREATE INDEX `case_keys_org_received` ON `case_keys` (`org_id`,`received_day`,`case_id`);--> statement-breakpoint
CREATE INDEX `case_keys_org_due` ON `case_keys` (`org_id`,`due_day`,`case_id`);--> statement-breakpoint
CREATE INDEX `cases_assigned` ON `cases` (`assigned_to`);--> statement-breakpoint
CREATE INDEX `cases_received` ON `cases` (`received_day`);--> statement-breakpoint
CREATE INDEX `cases_org_closed` ON `cases` (`org_id`,`closed_day`);--> statement-breakpoint
CREATE INDEX `cases_org_reporter` ON `cases` (`org_id`,`last_reporter_day`);--> statement-breakpoint
ALTER TABLE `cases` ADD `cut_off` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- A case without its mailbox is one whose deletion a crash interrupted (before 0009 it was found so).
UPDATE `cases` SET `cut_off` = 1 WHERE NOT EXISTS (SELECT 1 FROM `mailboxes` WHERE `mailboxes`.`case_id` = `cases`.`id`);--> statement-breakpoint
CREATE INDEX `cases_cut_off` ON `cases` (`id`) WHERE `cut_off` = 1;
