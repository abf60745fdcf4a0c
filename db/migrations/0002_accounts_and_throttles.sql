CREATE TABLE `attempt_throttle` (
	`key_hash` text PRIMARY KEY NOT NULL,
	`failures` integer NOT NULL,
	`blocked_until` integer NOT NULL,
	`last_failure_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `attempt_throttle_last` ON `attempt_throttle` (`last_failure_at`);--> statement-breakpoint
CREATE TABLE `intake_counters` (
	`minute` integer PRIMARY KEY NOT NULL,
	`count` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `invites` (
	`token_hash` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`org_id` text,
	`org_name` text,
	`role` text NOT NULL,
	`created_by` text,
	`expires_at` integer NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `org_key_versions` (
	`org_id` text NOT NULL,
	`key_version` integer NOT NULL,
	`box_public_key` text NOT NULL,
	`sign_public_key` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`org_id`, `key_version`),
	FOREIGN KEY (`org_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
ALTER TABLE `investigators` ADD `instance_admin` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `investigators` ADD `totp_secret_enc` text;--> statement-breakpoint
ALTER TABLE `investigators` ADD `totp_confirmed` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `investigators` ADD `totp_last_step` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `messages` ADD `key_version` integer;--> statement-breakpoint
-- Backfill: the keys organisations have now are their first recorded version.
INSERT INTO `org_key_versions` (`org_id`, `key_version`, `box_public_key`, `sign_public_key`, `created_at`) SELECT `id`, `key_version`, `box_public_key`, `sign_public_key`, `created_at` FROM `organisations`;
--> statement-breakpoint
UPDATE `messages` SET `key_version` = (SELECT `key_version` FROM `organisations` WHERE `organisations`.`id` = `messages`.`org_id`) WHERE `role` = 'organisation';
