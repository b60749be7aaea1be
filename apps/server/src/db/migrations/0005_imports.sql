CREATE TABLE "import_batch" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"org_id" uuid NOT NULL,
	"account_id" uuid,
	"file_name" text NOT NULL,
	"file_sha256" text NOT NULL,
	"file_size" integer NOT NULL,
	"sheet_name" text NOT NULL,
	"sheets" jsonb NOT NULL,
	"header_row" integer NOT NULL,
	"header_rows" integer NOT NULL,
	"columns" jsonb NOT NULL,
	"merges" jsonb,
	"total_rows" integer NOT NULL,
	"saved_mapping_id" uuid,
	"mapping" jsonb,
	"dedupe" text,
	"default_org_id" uuid,
	"status" text NOT NULL,
	"created_count" integer DEFAULT 0 NOT NULL,
	"updated_count" integer DEFAULT 0 NOT NULL,
	"skipped_count" integer DEFAULT 0 NOT NULL,
	"episodes_created" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"committed_at" timestamp with time zone,
	"undone_at" timestamp with time zone,
	"undone_by" uuid,
	"undo_reason" text,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "import_batch_kind_check" CHECK ("import_batch"."kind" in ('members','ledger')),
	CONSTRAINT "import_batch_status_check" CHECK ("import_batch"."status" in ('uploaded','committed','undone','expired')),
	CONSTRAINT "import_batch_dedupe_check" CHECK ("import_batch"."dedupe" is null or "import_batch"."dedupe" in ('skip','update','fill'))
);
--> statement-breakpoint
CREATE TABLE "import_batch_item" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"batch_id" uuid NOT NULL,
	"entity" text NOT NULL,
	"entity_id" uuid NOT NULL,
	"action" text NOT NULL,
	"before" jsonb,
	"version_after" integer NOT NULL,
	"sheet_row" integer NOT NULL,
	CONSTRAINT "import_batch_item_entity_check" CHECK ("import_batch_item"."entity" in ('member','mobility')),
	CONSTRAINT "import_batch_item_action_check" CHECK ("import_batch_item"."action" in ('created','updated'))
);
--> statement-breakpoint
CREATE TABLE "import_file" (
	"batch_id" uuid PRIMARY KEY NOT NULL,
	"content_enc" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "import_mapping" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"account_id" uuid,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"columns" jsonb NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "import_mapping_kind_check" CHECK ("import_mapping"."kind" in ('members','ledger'))
);
--> statement-breakpoint
ALTER TABLE "import_batch" ADD CONSTRAINT "import_batch_org_id_org_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."org"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "import_batch" ADD CONSTRAINT "import_batch_account_id_account_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."account"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "import_batch" ADD CONSTRAINT "import_batch_default_org_id_org_id_fk" FOREIGN KEY ("default_org_id") REFERENCES "public"."org"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "import_batch" ADD CONSTRAINT "import_batch_undone_by_account_id_fk" FOREIGN KEY ("undone_by") REFERENCES "public"."account"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "import_batch_item" ADD CONSTRAINT "import_batch_item_batch_id_import_batch_id_fk" FOREIGN KEY ("batch_id") REFERENCES "public"."import_batch"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "import_file" ADD CONSTRAINT "import_file_batch_id_import_batch_id_fk" FOREIGN KEY ("batch_id") REFERENCES "public"."import_batch"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "import_mapping" ADD CONSTRAINT "import_mapping_org_id_org_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."org"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "import_mapping" ADD CONSTRAINT "import_mapping_account_id_account_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."account"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "import_batch_org_idx" ON "import_batch" USING btree ("org_id","created_at","id");--> statement-breakpoint
CREATE INDEX "import_batch_sha_idx" ON "import_batch" USING btree ("file_sha256","status");--> statement-breakpoint
CREATE INDEX "import_batch_open_idx" ON "import_batch" USING btree ("status","expires_at");--> statement-breakpoint
CREATE INDEX "import_batch_item_batch_idx" ON "import_batch_item" USING btree ("batch_id","entity");--> statement-breakpoint
CREATE UNIQUE INDEX "import_mapping_org_kind_name_key" ON "import_mapping" USING btree ("org_id","kind","name");