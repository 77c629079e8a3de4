CREATE TABLE `case_alerts` (
	`alert_id` text PRIMARY KEY,
	`case_id` text NOT NULL,
	`linked_by` text NOT NULL,
	`reason` text NOT NULL,
	`added_by` text NOT NULL,
	`added_at` integer NOT NULL,
	CONSTRAINT `fk_case_alerts_alert_id_alerts_id_fk` FOREIGN KEY (`alert_id`) REFERENCES `alerts`(`id`) ON DELETE CASCADE,
	CONSTRAINT `fk_case_alerts_case_id_cases_id_fk` FOREIGN KEY (`case_id`) REFERENCES `cases`(`id`) ON DELETE CASCADE
);
--> statement-breakpoint
CREATE TABLE `case_comments` (
	`id` text PRIMARY KEY,
	`case_id` text NOT NULL,
	`author` text NOT NULL,
	`body` text NOT NULL,
	`created_at` integer NOT NULL,
	CONSTRAINT `fk_case_comments_case_id_cases_id_fk` FOREIGN KEY (`case_id`) REFERENCES `cases`(`id`) ON DELETE CASCADE
);
--> statement-breakpoint
CREATE TABLE `case_events` (
	`seq` integer PRIMARY KEY AUTOINCREMENT,
	`case_id` text NOT NULL,
	`kind` text NOT NULL,
	`actor` text NOT NULL,
	`summary` text NOT NULL,
	`detail` text,
	`created_at` integer NOT NULL,
	CONSTRAINT `fk_case_events_case_id_cases_id_fk` FOREIGN KEY (`case_id`) REFERENCES `cases`(`id`) ON DELETE CASCADE
);
--> statement-breakpoint
CREATE TABLE `case_observables` (
	`case_id` text NOT NULL,
	`ioc_id` text NOT NULL,
	`role` text NOT NULL,
	`is_ioc` integer NOT NULL,
	`overridden_by` text,
	`added_at` integer NOT NULL,
	CONSTRAINT `case_observables_pk` PRIMARY KEY(`case_id`, `ioc_id`, `role`),
	CONSTRAINT `fk_case_observables_case_id_cases_id_fk` FOREIGN KEY (`case_id`) REFERENCES `cases`(`id`) ON DELETE CASCADE,
	CONSTRAINT `fk_case_observables_ioc_id_iocs_id_fk` FOREIGN KEY (`ioc_id`) REFERENCES `iocs`(`id`) ON DELETE CASCADE
);
--> statement-breakpoint
CREATE TABLE `case_operations` (
	`id` text PRIMARY KEY,
	`kind` text NOT NULL,
	`actor` text NOT NULL,
	`target_case_id` text NOT NULL,
	`detail` text NOT NULL,
	`created_at` integer NOT NULL,
	`undone_at` integer,
	`undone_by` text,
	CONSTRAINT `fk_case_operations_target_case_id_cases_id_fk` FOREIGN KEY (`target_case_id`) REFERENCES `cases`(`id`) ON DELETE CASCADE
);
--> statement-breakpoint
CREATE TABLE `cases` (
	`id` text PRIMARY KEY,
	`number` integer NOT NULL,
	`title` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`status` text NOT NULL,
	`resolution` text,
	`severity` text NOT NULL,
	`score` integer NOT NULL,
	`category` text,
	`tlp` text NOT NULL,
	`pap` text NOT NULL,
	`assignee` text,
	`tags` text DEFAULT '[]' NOT NULL,
	`techniques` text DEFAULT '[]' NOT NULL,
	`kind_key` text,
	`alert_count` integer DEFAULT 0 NOT NULL,
	`folded_count` integer DEFAULT 0 NOT NULL,
	`merged_into` text,
	`created_by` text NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	`first_alert_at` integer,
	`last_alert_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `task_logs` (
	`id` text PRIMARY KEY,
	`task_id` text NOT NULL,
	`author` text NOT NULL,
	`message` text NOT NULL,
	`created_at` integer NOT NULL,
	CONSTRAINT `fk_task_logs_task_id_tasks_id_fk` FOREIGN KEY (`task_id`) REFERENCES `tasks`(`id`) ON DELETE CASCADE
);
--> statement-breakpoint
CREATE TABLE `tasks` (
	`id` text PRIMARY KEY,
	`case_id` text NOT NULL,
	`title` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`status` text NOT NULL,
	`assignee` text,
	`assignee_group` text,
	`created_by` text NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	CONSTRAINT `fk_tasks_case_id_cases_id_fk` FOREIGN KEY (`case_id`) REFERENCES `cases`(`id`) ON DELETE CASCADE
);
--> statement-breakpoint
CREATE INDEX `case_alerts_case_idx` ON `case_alerts` (`case_id`,`added_at`);--> statement-breakpoint
CREATE INDEX `case_comments_case_idx` ON `case_comments` (`case_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `case_events_case_idx` ON `case_events` (`case_id`,`seq`);--> statement-breakpoint
CREATE INDEX `case_events_created_idx` ON `case_events` (`created_at`);--> statement-breakpoint
CREATE INDEX `case_observables_ioc_idx` ON `case_observables` (`ioc_id`,`case_id`);--> statement-breakpoint
CREATE INDEX `case_operations_target_idx` ON `case_operations` (`target_case_id`,`created_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `cases_number_uq` ON `cases` (`number`);--> statement-breakpoint
CREATE INDEX `cases_status_idx` ON `cases` (`status`,`last_alert_at`);--> statement-breakpoint
CREATE INDEX `cases_severity_idx` ON `cases` (`severity`);--> statement-breakpoint
CREATE INDEX `cases_category_idx` ON `cases` (`category`,`last_alert_at`);--> statement-breakpoint
CREATE INDEX `cases_kind_idx` ON `cases` (`kind_key`,`first_alert_at`);--> statement-breakpoint
CREATE INDEX `cases_assignee_idx` ON `cases` (`assignee`);--> statement-breakpoint
CREATE INDEX `cases_created_idx` ON `cases` (`created_at`);--> statement-breakpoint
CREATE INDEX `cases_merged_into_idx` ON `cases` (`merged_into`);--> statement-breakpoint
CREATE INDEX `task_logs_task_idx` ON `task_logs` (`task_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `tasks_case_idx` ON `tasks` (`case_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `tasks_assignee_idx` ON `tasks` (`assignee`);