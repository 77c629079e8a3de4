CREATE TABLE `case_operation_alerts` (
	`operation_id` text NOT NULL,
	`alert_id` text NOT NULL,
	`from_case_id` text NOT NULL,
	`linked_by` text NOT NULL,
	`reason` text NOT NULL,
	`added_by` text NOT NULL,
	`added_at` integer NOT NULL,
	CONSTRAINT `case_operation_alerts_pk` PRIMARY KEY(`operation_id`, `alert_id`),
	CONSTRAINT `fk_case_operation_alerts_operation_id_case_operations_id_fk` FOREIGN KEY (`operation_id`) REFERENCES `case_operations`(`id`) ON DELETE CASCADE,
	CONSTRAINT `fk_case_operation_alerts_alert_id_alerts_id_fk` FOREIGN KEY (`alert_id`) REFERENCES `alerts`(`id`) ON DELETE CASCADE
);
--> statement-breakpoint
CREATE TABLE `case_operation_cases` (
	`operation_id` text NOT NULL,
	`case_id` text NOT NULL,
	`role` text NOT NULL,
	CONSTRAINT `case_operation_cases_pk` PRIMARY KEY(`operation_id`, `case_id`),
	CONSTRAINT `fk_case_operation_cases_operation_id_case_operations_id_fk` FOREIGN KEY (`operation_id`) REFERENCES `case_operations`(`id`) ON DELETE CASCADE,
	CONSTRAINT `fk_case_operation_cases_case_id_cases_id_fk` FOREIGN KEY (`case_id`) REFERENCES `cases`(`id`) ON DELETE CASCADE
);
--> statement-breakpoint
ALTER TABLE `case_operations` ADD `moved_alert_count` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX `case_operation_alerts_alert_idx` ON `case_operation_alerts` (`alert_id`);--> statement-breakpoint
CREATE INDEX `case_operation_cases_case_idx` ON `case_operation_cases` (`case_id`,`operation_id`);