CREATE TABLE `detection_firsts` (
	`detector` text NOT NULL,
	`key` text NOT NULL,
	`alert_id` text NOT NULL,
	`first_seen_at` integer NOT NULL,
	CONSTRAINT `detection_firsts_pk` PRIMARY KEY(`detector`, `key`),
	CONSTRAINT `fk_detection_firsts_alert_id_alerts_id_fk` FOREIGN KEY (`alert_id`) REFERENCES `alerts`(`id`) ON DELETE CASCADE
);
--> statement-breakpoint
CREATE TABLE `detection_observations` (
	`id` integer PRIMARY KEY AUTOINCREMENT,
	`detector` text NOT NULL,
	`key` text NOT NULL,
	`alert_id` text NOT NULL,
	`at` integer NOT NULL,
	`value` text,
	CONSTRAINT `fk_detection_observations_alert_id_alerts_id_fk` FOREIGN KEY (`alert_id`) REFERENCES `alerts`(`id`) ON DELETE CASCADE
);
--> statement-breakpoint
ALTER TABLE `alerts` ADD `category` text;--> statement-breakpoint
ALTER TABLE `alerts` ADD `confidence` real;--> statement-breakpoint
ALTER TABLE `alerts` ADD `classification` text;--> statement-breakpoint
CREATE INDEX `alerts_category_idx` ON `alerts` (`category`,`received_at`);--> statement-breakpoint
CREATE INDEX `detection_firsts_alert_idx` ON `detection_firsts` (`alert_id`);--> statement-breakpoint
CREATE INDEX `detection_observations_key_idx` ON `detection_observations` (`detector`,`key`,`at`);--> statement-breakpoint
CREATE INDEX `detection_observations_alert_idx` ON `detection_observations` (`alert_id`);