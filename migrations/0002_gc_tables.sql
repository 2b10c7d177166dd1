CREATE TABLE `gc_lock` (
	`name` text PRIMARY KEY NOT NULL,
	`holder` text NOT NULL,
	`expires_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `gc_marks` (
	`namespace` text NOT NULL,
	`digest` text NOT NULL,
	PRIMARY KEY(`namespace`, `digest`)
);
--> statement-breakpoint
CREATE TABLE `gc_runs` (
	`id` text PRIMARY KEY NOT NULL,
	`trigger` text NOT NULL,
	`dry_run` integer DEFAULT 0 NOT NULL,
	`namespace` text,
	`started_at` integer NOT NULL,
	`finished_at` integer,
	`complete` integer DEFAULT 0 NOT NULL,
	`leases_expired` integer DEFAULT 0 NOT NULL,
	`content_deleted` integer DEFAULT 0 NOT NULL,
	`ingests_aborted` integer DEFAULT 0 NOT NULL,
	`objects_deleted` integer DEFAULT 0 NOT NULL,
	`orphans_deleted` integer DEFAULT 0 NOT NULL,
	`bytes_freed` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE INDEX `gc_runs_started_at` ON `gc_runs` (`started_at`);--> statement-breakpoint
CREATE TABLE `gc_state` (
	`name` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `content_roots` ON `content` (`namespace`,`digest`) WHERE root = 1;--> statement-breakpoint
CREATE INDEX `ingests_object_key` ON `ingests` (`object_key`);--> statement-breakpoint
CREATE INDEX `gc_deletions_namespace` ON `gc_deletions` (`namespace`,`object_key`);