ALTER TABLE `gc_deletions` ADD `attempts` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `gc_deletions` ADD `retry_at` integer DEFAULT 0 NOT NULL;