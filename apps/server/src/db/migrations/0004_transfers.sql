CREATE TABLE "transfer" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"member_id" uuid NOT NULL,
	"mobility_id" uuid,
	"from_org_id" uuid NOT NULL,
	"to_org_id" uuid,
	"to_org_text" text,
	"to_region_code" text,
	"reason" text NOT NULL,
	"status" text NOT NULL,
	"requested_on" date NOT NULL,
	"requested_by" uuid,
	"decided_on" date,
	"decided_by" uuid,
	"decision_note" text,
	"letter_number" text,
	"letter_county_code" text,
	"letter_year" integer,
	"letter_seq" integer,
	"letter_issued_on" date,
	"due_on" date,
	"received_on" date,
	"received_by" uuid,
	"receipt_source" text,
	"receipt_note" text,
	"cancelled_on" date,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "transfer_status_check" CHECK ("transfer"."status" in ('requested','approved','completed','rejected','cancelled')),
	CONSTRAINT "transfer_receipt_source_check" CHECK ("transfer"."receipt_source" in ('system','paper')),
	CONSTRAINT "transfer_destination_check" CHECK (("transfer"."to_org_id" is not null) <> ("transfer"."to_org_text" is not null)),
	CONSTRAINT "transfer_letter_check" CHECK ("transfer"."status" not in ('approved','completed') or "transfer"."letter_number" is not null)
);
--> statement-breakpoint
CREATE TABLE "transfer_letter_counter" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"county_code" text NOT NULL,
	"year" integer NOT NULL,
	"next_seq" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "transfer_letter_counter_next_seq_check" CHECK ("transfer_letter_counter"."next_seq" > 0)
);
--> statement-breakpoint
ALTER TABLE "transfer" ADD CONSTRAINT "transfer_member_id_member_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."member"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "transfer" ADD CONSTRAINT "transfer_mobility_id_mobility_id_fk" FOREIGN KEY ("mobility_id") REFERENCES "public"."mobility"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "transfer" ADD CONSTRAINT "transfer_from_org_id_org_id_fk" FOREIGN KEY ("from_org_id") REFERENCES "public"."org"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "transfer" ADD CONSTRAINT "transfer_to_org_id_org_id_fk" FOREIGN KEY ("to_org_id") REFERENCES "public"."org"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "transfer" ADD CONSTRAINT "transfer_to_region_code_region_code_fk" FOREIGN KEY ("to_region_code") REFERENCES "public"."region"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "transfer" ADD CONSTRAINT "transfer_requested_by_account_id_fk" FOREIGN KEY ("requested_by") REFERENCES "public"."account"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "transfer" ADD CONSTRAINT "transfer_decided_by_account_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."account"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "transfer" ADD CONSTRAINT "transfer_received_by_account_id_fk" FOREIGN KEY ("received_by") REFERENCES "public"."account"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "transfer_member_idx" ON "transfer" USING btree ("member_id");--> statement-breakpoint
CREATE INDEX "transfer_from_org_idx" ON "transfer" USING btree ("from_org_id","status");--> statement-breakpoint
CREATE INDEX "transfer_to_org_idx" ON "transfer" USING btree ("to_org_id","status");--> statement-breakpoint
CREATE INDEX "transfer_due_idx" ON "transfer" USING btree ("status","due_on");--> statement-breakpoint
CREATE UNIQUE INDEX "transfer_letter_number_key" ON "transfer" USING btree ("letter_number");--> statement-breakpoint
CREATE UNIQUE INDEX "transfer_letter_seq_key" ON "transfer" USING btree ("letter_county_code","letter_year","letter_seq");--> statement-breakpoint
CREATE UNIQUE INDEX "transfer_one_open_per_member" ON "transfer" USING btree ("member_id") WHERE "transfer"."status" in ('requested','approved');--> statement-breakpoint
CREATE UNIQUE INDEX "transfer_letter_counter_county_year_key" ON "transfer_letter_counter" USING btree ("county_code","year");