CREATE TABLE "certificate" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"number" text NOT NULL,
	"county_code" text NOT NULL,
	"year" integer NOT NULL,
	"seq" integer NOT NULL,
	"member_id" uuid NOT NULL,
	"mobility_id" uuid,
	"status" text NOT NULL,
	"issued_on" date NOT NULL,
	"issued_by_org_id" uuid NOT NULL,
	"last_reviewed_on" date,
	"ended_on" date,
	"end_reason" text,
	"replaced_by_id" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "certificate_status_check" CHECK ("certificate"."status" in ('issued','returned','cancelled','void')),
	CONSTRAINT "certificate_seq_check" CHECK ("certificate"."seq" > 0)
);
--> statement-breakpoint
CREATE TABLE "certificate_counter" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"county_code" text NOT NULL,
	"year" integer NOT NULL,
	"next_seq" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "certificate_counter_next_seq_check" CHECK ("certificate_counter"."next_seq" > 0)
);
--> statement-breakpoint
ALTER TABLE "certificate" ADD CONSTRAINT "certificate_member_id_member_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."member"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "certificate" ADD CONSTRAINT "certificate_mobility_id_mobility_id_fk" FOREIGN KEY ("mobility_id") REFERENCES "public"."mobility"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "certificate" ADD CONSTRAINT "certificate_issued_by_org_id_org_id_fk" FOREIGN KEY ("issued_by_org_id") REFERENCES "public"."org"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "certificate" ADD CONSTRAINT "certificate_replaced_by_id_certificate_id_fk" FOREIGN KEY ("replaced_by_id") REFERENCES "public"."certificate"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "certificate_number_key" ON "certificate" USING btree ("number");--> statement-breakpoint
CREATE UNIQUE INDEX "certificate_county_year_seq_key" ON "certificate" USING btree ("county_code","year","seq");--> statement-breakpoint
CREATE INDEX "certificate_member_idx" ON "certificate" USING btree ("member_id");--> statement-breakpoint
CREATE UNIQUE INDEX "certificate_one_issued_per_member" ON "certificate" USING btree ("member_id") WHERE "certificate"."status" = 'issued';--> statement-breakpoint
CREATE UNIQUE INDEX "certificate_counter_county_year_key" ON "certificate_counter" USING btree ("county_code","year");