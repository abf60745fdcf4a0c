CREATE TABLE `case_keys` (
	`case_id` text NOT NULL,
	`org_id` text NOT NULL,
	`key_version` integer NOT NULL,
	`sealed_case_key` text NOT NULL,
	PRIMARY KEY(`case_id`, `org_id`),
	FOREIGN KEY (`case_id`) REFERENCES `cases`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`org_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `case_keys_org` ON `case_keys` (`org_id`);--> statement-breakpoint
CREATE TABLE `cases` (
	`id` text PRIMARY KEY NOT NULL,
	`reference` text NOT NULL,
	`org_id` text NOT NULL,
	`status` text NOT NULL,
	`received_day` text NOT NULL,
	`last_reporter_day` text NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `cases_reference` ON `cases` (`reference`);--> statement-breakpoint
CREATE INDEX `cases_org` ON `cases` (`org_id`);--> statement-breakpoint
CREATE TABLE `challenges` (
	`challenge_hash` text PRIMARY KEY NOT NULL,
	`expires_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `challenges_expiry` ON `challenges` (`expires_at`);--> statement-breakpoint
CREATE TABLE `instance_settings` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `investigators` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`username` text NOT NULL,
	`role` text NOT NULL,
	`auth_salt` text NOT NULL,
	`auth_key_hash` text NOT NULL,
	`box_public_key` text NOT NULL,
	`wrapped_seed` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `investigators_username` ON `investigators` (`username`);--> statement-breakpoint
CREATE TABLE `mailboxes` (
	`locator_hash` text PRIMARY KEY NOT NULL,
	`case_id` text NOT NULL,
	`sign_public_key` text NOT NULL,
	`box_public_key` text NOT NULL,
	`sealed_case_key` text NOT NULL,
	FOREIGN KEY (`case_id`) REFERENCES `cases`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `mailboxes_case` ON `mailboxes` (`case_id`);--> statement-breakpoint
CREATE TABLE `messages` (
	`id` text PRIMARY KEY NOT NULL,
	`case_id` text NOT NULL,
	`seq` integer NOT NULL,
	`role` text NOT NULL,
	`org_id` text,
	`envelope` text NOT NULL,
	`signature` text NOT NULL,
	`day` text NOT NULL,
	FOREIGN KEY (`case_id`) REFERENCES `cases`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`org_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `messages_case_seq` ON `messages` (`case_id`,`seq`);--> statement-breakpoint
CREATE TABLE `org_keyrings` (
	`investigator_id` text NOT NULL,
	`org_id` text NOT NULL,
	`key_version` integer NOT NULL,
	`sealed_keyring` text NOT NULL,
	PRIMARY KEY(`investigator_id`, `org_id`, `key_version`),
	FOREIGN KEY (`investigator_id`) REFERENCES `investigators`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`org_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `organisations` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`box_public_key` text NOT NULL,
	`sign_public_key` text NOT NULL,
	`key_version` integer NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `sessions` (
	`token_hash` text PRIMARY KEY NOT NULL,
	`investigator_id` text NOT NULL,
	`created_at` integer NOT NULL,
	`last_used_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	FOREIGN KEY (`investigator_id`) REFERENCES `investigators`(`id`) ON UPDATE no action ON DELETE no action
);
