CREATE TABLE `enrichments` (
	`id` integer PRIMARY KEY AUTOINCREMENT,
	`provider` text NOT NULL,
	`ioc_type` text NOT NULL,
	`ioc_value` text NOT NULL,
	`status` text NOT NULL,
	`verdict` text NOT NULL,
	`reasons` text NOT NULL,
	`data` text NOT NULL,
	`error` text,
	`fetched_at` integer NOT NULL,
	`expires_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `feeds` (
	`name` text PRIMARY KEY,
	`kind` text NOT NULL,
	`format` text NOT NULL,
	`location` text NOT NULL,
	`refresh_ms` integer,
	`last_loaded_at` integer,
	`last_status` text,
	`loaded` integer DEFAULT 0 NOT NULL,
	`skipped` integer DEFAULT 0 NOT NULL,
	`problems` text
);
--> statement-breakpoint
CREATE TABLE `indicators` (
	`id` integer PRIMARY KEY AUTOINCREMENT,
	`feed` text NOT NULL,
	`type` text NOT NULL,
	`value` text NOT NULL,
	`range_start` text,
	`range_end` text,
	`meta` text,
	`loaded_at` integer NOT NULL,
	CONSTRAINT `fk_indicators_feed_feeds_name_fk` FOREIGN KEY (`feed`) REFERENCES `feeds`(`name`) ON DELETE CASCADE
);
--> statement-breakpoint
CREATE UNIQUE INDEX `enrichments_provider_ioc_uq` ON `enrichments` (`provider`,`ioc_type`,`ioc_value`);--> statement-breakpoint
CREATE INDEX `enrichments_ioc_idx` ON `enrichments` (`ioc_type`,`ioc_value`);--> statement-breakpoint
CREATE INDEX `enrichments_expires_idx` ON `enrichments` (`expires_at`);--> statement-breakpoint
CREATE INDEX `indicators_type_value_idx` ON `indicators` (`type`,`value`);--> statement-breakpoint
CREATE INDEX `indicators_range_idx` ON `indicators` (`range_start`,`range_end`);--> statement-breakpoint
CREATE INDEX `indicators_feed_idx` ON `indicators` (`feed`);