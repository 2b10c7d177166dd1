CREATE TABLE `content` (
	`namespace` text NOT NULL,
	`digest` text NOT NULL,
	`size` integer NOT NULL,
	`object_key` text NOT NULL,
	`labels` text DEFAULT '{}' NOT NULL,
	`root` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`namespace`, `digest`)
);
--> statement-breakpoint
CREATE INDEX `content_object_key` ON `content` (`object_key`);--> statement-breakpoint
CREATE TABLE `content_refs` (
	`namespace` text NOT NULL,
	`digest` text NOT NULL,
	`label` text NOT NULL,
	`target` text NOT NULL,
	PRIMARY KEY(`namespace`, `digest`, `label`)
);
--> statement-breakpoint
CREATE TABLE `ingests` (
	`namespace` text NOT NULL,
	`ref` text NOT NULL,
	`object_key` text NOT NULL,
	`upload_id` text NOT NULL,
	`part_size` integer NOT NULL,
	`offset` integer DEFAULT 0 NOT NULL,
	`parts` text DEFAULT '[]' NOT NULL,
	`lease_id` text,
	`expected_digest` text,
	`expected_size` integer,
	`started_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`expires_at` integer,
	PRIMARY KEY(`namespace`, `ref`)
);
--> statement-breakpoint
CREATE INDEX `ingests_expires_at` ON `ingests` (`expires_at`);--> statement-breakpoint
CREATE TABLE `gc_deletions` (
	`object_key` text PRIMARY KEY NOT NULL,
	`upload_id` text,
	`namespace` text NOT NULL,
	`size` integer DEFAULT 0 NOT NULL,
	`enqueued_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `lease_resources` (
	`namespace` text NOT NULL,
	`lease_id` text NOT NULL,
	`type` text NOT NULL,
	`resource_id` text NOT NULL,
	PRIMARY KEY(`namespace`, `lease_id`, `type`, `resource_id`)
);
--> statement-breakpoint
CREATE INDEX `lease_resources_by_resource` ON `lease_resources` (`namespace`,`type`,`resource_id`);--> statement-breakpoint
CREATE TABLE `leases` (
	`namespace` text NOT NULL,
	`id` text NOT NULL,
	`created_at` integer NOT NULL,
	`labels` text DEFAULT '{}' NOT NULL,
	`expires_at` integer,
	`flat` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`namespace`, `id`)
);
--> statement-breakpoint
CREATE INDEX `leases_expires_at` ON `leases` (`expires_at`);