ALTER TABLE `case_keys` ADD `seal_signature` text;--> statement-breakpoint
ALTER TABLE `case_keys` ADD `sealed_by_org` text;--> statement-breakpoint
ALTER TABLE `case_keys` ADD `sealed_by_version` integer;--> statement-breakpoint
ALTER TABLE `case_transfers` ADD `seal_signature` text;--> statement-breakpoint
ALTER TABLE `case_transfers` ADD `sealed_by_version` integer;--> statement-breakpoint
ALTER TABLE `investigators` ADD `key_proof` text;--> statement-breakpoint
ALTER TABLE `investigators` ADD `invite_id` text;--> statement-breakpoint
ALTER TABLE `investigators` ADD `invite_key_version` integer;--> statement-breakpoint
ALTER TABLE `investigators` ADD `endorsement` text;--> statement-breakpoint
ALTER TABLE `investigators` ADD `endorsement_version` integer;--> statement-breakpoint
ALTER TABLE `invites` ADD `key_version` integer;--> statement-breakpoint
ALTER TABLE `mailboxes` ADD `seal_signature` text;--> statement-breakpoint
ALTER TABLE `messages` ADD `link` text;--> statement-breakpoint
ALTER TABLE `org_key_versions` ADD `endorsement` text;--> statement-breakpoint
-- Data made under protocol 1 carries none of the signatures protocol-2 clients verify. It is
-- kept untouched; the server refuses to start on it and says what to do (worker/data-protocol.ts).
INSERT INTO `instance_settings` (`key`, `value`) SELECT 'data_protocol_1', 'present' WHERE EXISTS (SELECT 1 FROM `organisations`);
