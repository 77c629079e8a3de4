CREATE TABLE `alert_iocs` (
	`alert_id` text NOT NULL,
	`ioc_id` text NOT NULL,
	`role` text NOT NULL,
	`created_at` integer NOT NULL,
	CONSTRAINT `alert_iocs_pk` PRIMARY KEY(`alert_id`, `ioc_id`, `role`),
	CONSTRAINT `fk_alert_iocs_alert_id_alerts_id_fk` FOREIGN KEY (`alert_id`) REFERENCES `alerts`(`id`) ON DELETE CASCADE,
	CONSTRAINT `fk_alert_iocs_ioc_id_iocs_id_fk` FOREIGN KEY (`ioc_id`) REFERENCES `iocs`(`id`) ON DELETE CASCADE
);
--> statement-breakpoint
CREATE TABLE `alert_occurrences` (
	`id` text PRIMARY KEY,
	`alert_id` text NOT NULL,
	`matched_by` text NOT NULL,
	`source_ref` text,
	`received_at` integer NOT NULL,
	CONSTRAINT `fk_alert_occurrences_alert_id_alerts_id_fk` FOREIGN KEY (`alert_id`) REFERENCES `alerts`(`id`) ON DELETE CASCADE
);
--> statement-breakpoint
CREATE TABLE `alerts` (
	`id` text PRIMARY KEY,
	`source` text NOT NULL,
	`source_ref` text,
	`payload_kind` text NOT NULL,
	`payload` text NOT NULL,
	`fingerprint` text NOT NULL,
	`status` text NOT NULL,
	`format` text,
	`message` text,
	`normalized` text,
	`event_time` integer,
	`occurrence_count` integer DEFAULT 1 NOT NULL,
	`received_at` integer NOT NULL,
	`last_seen_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `api_keys` (
	`id` text PRIMARY KEY,
	`name` text NOT NULL,
	`role` text NOT NULL,
	`prefix` text NOT NULL,
	`hash` text NOT NULL,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`last_used_at` integer,
	`revoked_at` integer
);
--> statement-breakpoint
CREATE TABLE `audit_log` (
	`id` text PRIMARY KEY,
	`actor` text NOT NULL,
	`action` text NOT NULL,
	`entity_type` text NOT NULL,
	`entity_id` text NOT NULL,
	`before` text,
	`after` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `iocs` (
	`id` text PRIMARY KEY,
	`type` text NOT NULL,
	`value` text NOT NULL,
	`attributes` text,
	`first_seen_at` integer NOT NULL,
	`last_seen_at` integer NOT NULL,
	`sightings` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE `jobs` (
	`id` text PRIMARY KEY,
	`alert_id` text NOT NULL,
	`status` text NOT NULL,
	`stage` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`error` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	CONSTRAINT `fk_jobs_alert_id_alerts_id_fk` FOREIGN KEY (`alert_id`) REFERENCES `alerts`(`id`) ON DELETE CASCADE
);
--> statement-breakpoint
CREATE TABLE `pipeline_events` (
	`seq` integer PRIMARY KEY AUTOINCREMENT,
	`alert_id` text NOT NULL,
	`job_id` text,
	`stage` text NOT NULL,
	`status` text NOT NULL,
	`duration_ms` integer NOT NULL,
	`summary` text NOT NULL,
	`detail` text,
	`created_at` integer NOT NULL,
	CONSTRAINT `fk_pipeline_events_alert_id_alerts_id_fk` FOREIGN KEY (`alert_id`) REFERENCES `alerts`(`id`) ON DELETE CASCADE,
	CONSTRAINT `fk_pipeline_events_job_id_jobs_id_fk` FOREIGN KEY (`job_id`) REFERENCES `jobs`(`id`) ON DELETE SET NULL
);
--> statement-breakpoint
CREATE INDEX `alert_iocs_ioc_idx` ON `alert_iocs` (`ioc_id`,`alert_id`);--> statement-breakpoint
CREATE INDEX `alert_occurrences_alert_idx` ON `alert_occurrences` (`alert_id`,`received_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `alerts_source_ref_uq` ON `alerts` (`source`,`source_ref`);--> statement-breakpoint
CREATE INDEX `alerts_fingerprint_idx` ON `alerts` (`fingerprint`,`last_seen_at`);--> statement-breakpoint
CREATE INDEX `alerts_status_idx` ON `alerts` (`status`);--> statement-breakpoint
CREATE INDEX `alerts_received_at_idx` ON `alerts` (`received_at`);--> statement-breakpoint
CREATE INDEX `alerts_source_idx` ON `alerts` (`source`);--> statement-breakpoint
CREATE UNIQUE INDEX `api_keys_hash_uq` ON `api_keys` (`hash`);--> statement-breakpoint
CREATE INDEX `api_keys_created_idx` ON `api_keys` (`created_at`);--> statement-breakpoint
CREATE INDEX `audit_log_entity_idx` ON `audit_log` (`entity_type`,`entity_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `audit_log_created_idx` ON `audit_log` (`created_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `iocs_type_value_uq` ON `iocs` (`type`,`value`);--> statement-breakpoint
CREATE INDEX `iocs_last_seen_idx` ON `iocs` (`last_seen_at`);--> statement-breakpoint
CREATE INDEX `iocs_value_idx` ON `iocs` (`value`);--> statement-breakpoint
CREATE INDEX `jobs_alert_idx` ON `jobs` (`alert_id`);--> statement-breakpoint
CREATE INDEX `jobs_status_idx` ON `jobs` (`status`,`created_at`);--> statement-breakpoint
CREATE INDEX `pipeline_events_alert_idx` ON `pipeline_events` (`alert_id`,`seq`);--> statement-breakpoint
CREATE INDEX `pipeline_events_job_idx` ON `pipeline_events` (`job_id`);--> statement-breakpoint
CREATE INDEX `pipeline_events_created_idx` ON `pipeline_events` (`created_at`);