CREATE TABLE `actions` (
	`id` text PRIMARY KEY,
	`run_id` text,
	`step_id` text,
	`case_id` text,
	`kind` text NOT NULL,
	`target` text NOT NULL,
	`params` text NOT NULL,
	`executor` text NOT NULL,
	`status` text NOT NULL,
	`dry_run` integer DEFAULT false NOT NULL,
	`reason` text,
	`artifact` text,
	`revert_at` integer,
	`reverted_at` integer,
	`revert_of` text,
	`requested_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	CONSTRAINT `fk_actions_run_id_playbook_runs_id_fk` FOREIGN KEY (`run_id`) REFERENCES `playbook_runs`(`id`) ON DELETE SET NULL,
	CONSTRAINT `fk_actions_step_id_run_steps_id_fk` FOREIGN KEY (`step_id`) REFERENCES `run_steps`(`id`) ON DELETE SET NULL,
	CONSTRAINT `fk_actions_case_id_cases_id_fk` FOREIGN KEY (`case_id`) REFERENCES `cases`(`id`) ON DELETE CASCADE
);
--> statement-breakpoint
CREATE TABLE `approvals` (
	`id` text PRIMARY KEY,
	`action_id` text NOT NULL,
	`required_role` text NOT NULL,
	`required_count` integer NOT NULL,
	`status` text NOT NULL,
	`default_outcome` text NOT NULL,
	`expires_at` integer NOT NULL,
	`decisions` text DEFAULT '[]' NOT NULL,
	`created_at` integer NOT NULL,
	`decided_at` integer,
	CONSTRAINT `fk_approvals_action_id_actions_id_fk` FOREIGN KEY (`action_id`) REFERENCES `actions`(`id`) ON DELETE CASCADE
);
--> statement-breakpoint
CREATE TABLE `notifications` (
	`id` text PRIMARY KEY,
	`channel` text NOT NULL,
	`event` text NOT NULL,
	`severity` text,
	`case_id` text,
	`payload` text NOT NULL,
	`idempotency_key` text NOT NULL,
	`status` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`last_error` text,
	`created_at` integer NOT NULL,
	`delivered_at` integer,
	CONSTRAINT `fk_notifications_case_id_cases_id_fk` FOREIGN KEY (`case_id`) REFERENCES `cases`(`id`) ON DELETE SET NULL
);
--> statement-breakpoint
CREATE TABLE `playbook_runs` (
	`id` text PRIMARY KEY,
	`playbook` text NOT NULL,
	`playbook_hash` text NOT NULL,
	`case_id` text,
	`alert_id` text,
	`trigger` text NOT NULL,
	`status` text NOT NULL,
	`dry_run` integer DEFAULT false NOT NULL,
	`context` text NOT NULL,
	`error` text,
	`started_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`finished_at` integer,
	CONSTRAINT `fk_playbook_runs_playbook_hash_playbook_versions_hash_fk` FOREIGN KEY (`playbook_hash`) REFERENCES `playbook_versions`(`hash`),
	CONSTRAINT `fk_playbook_runs_case_id_cases_id_fk` FOREIGN KEY (`case_id`) REFERENCES `cases`(`id`) ON DELETE CASCADE,
	CONSTRAINT `fk_playbook_runs_alert_id_alerts_id_fk` FOREIGN KEY (`alert_id`) REFERENCES `alerts`(`id`) ON DELETE SET NULL
);
--> statement-breakpoint
CREATE TABLE `playbook_versions` (
	`hash` text PRIMARY KEY,
	`name` text NOT NULL,
	`origin` text NOT NULL,
	`source` text NOT NULL,
	`loaded_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `run_steps` (
	`id` text PRIMARY KEY,
	`run_id` text NOT NULL,
	`position` integer NOT NULL,
	`name` text NOT NULL,
	`action` text NOT NULL,
	`status` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`deadline_at` integer,
	`retry_at` integer,
	`params` text NOT NULL,
	`output` text,
	`error` text,
	`started_at` integer,
	`finished_at` integer,
	CONSTRAINT `fk_run_steps_run_id_playbook_runs_id_fk` FOREIGN KEY (`run_id`) REFERENCES `playbook_runs`(`id`) ON DELETE CASCADE
);
--> statement-breakpoint
CREATE INDEX `actions_case_idx` ON `actions` (`case_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `actions_run_idx` ON `actions` (`run_id`);--> statement-breakpoint
CREATE INDEX `actions_step_idx` ON `actions` (`step_id`);--> statement-breakpoint
CREATE INDEX `actions_status_idx` ON `actions` (`status`,`created_at`);--> statement-breakpoint
CREATE INDEX `actions_revert_idx` ON `actions` (`revert_at`);--> statement-breakpoint
CREATE INDEX `actions_kind_target_idx` ON `actions` (`kind`,`target`);--> statement-breakpoint
CREATE INDEX `actions_created_idx` ON `actions` (`created_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `approvals_action_uq` ON `approvals` (`action_id`);--> statement-breakpoint
CREATE INDEX `approvals_status_idx` ON `approvals` (`status`,`expires_at`);--> statement-breakpoint
CREATE INDEX `notifications_due_idx` ON `notifications` (`status`,`next_attempt_at`);--> statement-breakpoint
CREATE INDEX `notifications_case_idx` ON `notifications` (`case_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `notifications_created_idx` ON `notifications` (`created_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `notifications_idempotency_uq` ON `notifications` (`idempotency_key`);--> statement-breakpoint
CREATE INDEX `playbook_runs_case_idx` ON `playbook_runs` (`case_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `playbook_runs_status_idx` ON `playbook_runs` (`status`,`updated_at`);--> statement-breakpoint
CREATE INDEX `playbook_runs_playbook_idx` ON `playbook_runs` (`playbook`,`created_at`);--> statement-breakpoint
CREATE INDEX `playbook_runs_alert_idx` ON `playbook_runs` (`alert_id`);--> statement-breakpoint
CREATE INDEX `playbook_versions_name_idx` ON `playbook_versions` (`name`,`loaded_at`);--> statement-breakpoint
CREATE INDEX `run_steps_run_idx` ON `run_steps` (`run_id`,`position`);--> statement-breakpoint
CREATE INDEX `run_steps_status_idx` ON `run_steps` (`status`,`deadline_at`);