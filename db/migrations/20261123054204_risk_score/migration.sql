ALTER TABLE `alerts` ADD `score` integer;--> statement-breakpoint
ALTER TABLE `alerts` ADD `risk_level` text;--> statement-breakpoint
ALTER TABLE `alerts` ADD `score_factors` text;--> statement-breakpoint
CREATE INDEX `alerts_risk_level_idx` ON `alerts` (`risk_level`,`received_at`);