-- Files attached to messages (issue 14): their declared ciphertext lengths, the parts held, and on Node the parts themselves.
CREATE TABLE `file_blobs` (
	`file_id` text NOT NULL,
	`part` integer NOT NULL,
	`bytes` blob NOT NULL,
	PRIMARY KEY(`file_id`, `part`)
);
--> statement-breakpoint
CREATE TABLE `file_parts` (
	`file_id` text NOT NULL,
	`part` integer NOT NULL,
	PRIMARY KEY(`file_id`, `part`),
	FOREIGN KEY (`file_id`) REFERENCES `files`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `files` (
	`id` text PRIMARY KEY NOT NULL,
	`case_id` text NOT NULL,
	`message_id` text NOT NULL,
	`role` text NOT NULL,
	`bytes` integer NOT NULL,
	`parts` integer NOT NULL,
	`complete` integer DEFAULT false NOT NULL,
	`created_day` text NOT NULL,
	FOREIGN KEY (`case_id`) REFERENCES `cases`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`message_id`) REFERENCES `messages`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `files_case` ON `files` (`case_id`);--> statement-breakpoint
CREATE INDEX `files_message` ON `files` (`message_id`);--> statement-breakpoint
CREATE INDEX `files_incomplete` ON `files` (`complete`,`created_day`);