ALTER TABLE `ingests` ADD `claim` text;--> statement-breakpoint
ALTER TABLE `ingests` ADD `claim_expires_at` integer;--> statement-breakpoint
ALTER TABLE `ingests` ADD `completed` integer DEFAULT 0 NOT NULL;