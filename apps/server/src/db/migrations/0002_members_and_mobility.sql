CREATE TABLE "member" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid,
	"name" text NOT NULL,
	"name_pinyin" text NOT NULL,
	"name_initials" text NOT NULL,
	"gender" text NOT NULL,
	"ethnicity" text,
	"birth_date" date,
	"id_number_enc" text,
	"id_number_bidx" text,
	"education" text,
	"phone_enc" text,
	"phone_bidx" text,
	"home_address_enc" text,
	"current_address_enc" text,
	"emergency_contact_name" text,
	"emergency_contact_phone_enc" text,
	"joined_on" date,
	"membership" text NOT NULL,
	"full_member_on" date,
	"party_posts" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "member_gender_check" CHECK ("member"."gender" in ('male','female')),
	CONSTRAINT "member_membership_check" CHECK ("member"."membership" in ('full','probationary'))
);
--> statement-breakpoint
CREATE TABLE "mobility" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"member_id" uuid NOT NULL,
	"direction" text NOT NULL,
	"status" text NOT NULL,
	"home_org_id" uuid,
	"home_org_text" text,
	"home_region_code" text,
	"registered_on" date NOT NULL,
	"left_on" date NOT NULL,
	"destination_region_code" text,
	"destination_address_enc" text,
	"employer" text,
	"industry" text,
	"unit_type" text,
	"original_occupation" text,
	"reason" text NOT NULL,
	"reason_note" text,
	"expected_months" integer,
	"mobility_range" text,
	"host_org_id" uuid,
	"host_org_text" text,
	"checked_in_on" date,
	"host_contact" text,
	"ended_on" date,
	"end_note" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "mobility_direction_check" CHECK ("mobility"."direction" in ('outflow','inflow')),
	CONSTRAINT "mobility_status_check" CHECK ("mobility"."status" in ('registered','informed','contacted','settled','serving','returned','transferred','ended'))
);
--> statement-breakpoint
CREATE TABLE "mobility_transition" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"mobility_id" uuid NOT NULL,
	"from_status" text,
	"to_status" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"actor_account_id" uuid,
	"note" text
);
--> statement-breakpoint
ALTER TABLE "member" ADD CONSTRAINT "member_org_id_org_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."org"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mobility" ADD CONSTRAINT "mobility_member_id_member_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."member"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mobility" ADD CONSTRAINT "mobility_home_org_id_org_id_fk" FOREIGN KEY ("home_org_id") REFERENCES "public"."org"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mobility" ADD CONSTRAINT "mobility_home_region_code_region_code_fk" FOREIGN KEY ("home_region_code") REFERENCES "public"."region"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mobility" ADD CONSTRAINT "mobility_destination_region_code_region_code_fk" FOREIGN KEY ("destination_region_code") REFERENCES "public"."region"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mobility" ADD CONSTRAINT "mobility_host_org_id_org_id_fk" FOREIGN KEY ("host_org_id") REFERENCES "public"."org"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mobility_transition" ADD CONSTRAINT "mobility_transition_mobility_id_mobility_id_fk" FOREIGN KEY ("mobility_id") REFERENCES "public"."mobility"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mobility_transition" ADD CONSTRAINT "mobility_transition_actor_account_id_account_id_fk" FOREIGN KEY ("actor_account_id") REFERENCES "public"."account"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "member_org_idx" ON "member" USING btree ("org_id");--> statement-breakpoint
CREATE UNIQUE INDEX "member_id_number_bidx_key" ON "member" USING btree ("id_number_bidx");--> statement-breakpoint
CREATE INDEX "member_phone_bidx_idx" ON "member" USING btree ("phone_bidx");--> statement-breakpoint
CREATE INDEX "member_name_pinyin_idx" ON "member" USING btree ("name_pinyin" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "member_name_initials_idx" ON "member" USING btree ("name_initials" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "member_name_idx" ON "member" USING btree ("name","id");--> statement-breakpoint
CREATE INDEX "mobility_member_idx" ON "mobility" USING btree ("member_id");--> statement-breakpoint
CREATE INDEX "mobility_home_org_idx" ON "mobility" USING btree ("home_org_id","status");--> statement-breakpoint
CREATE INDEX "mobility_host_org_idx" ON "mobility" USING btree ("host_org_id");--> statement-breakpoint
CREATE INDEX "mobility_destination_idx" ON "mobility" USING btree ("destination_region_code");--> statement-breakpoint
CREATE UNIQUE INDEX "mobility_one_open_outflow" ON "mobility" USING btree ("member_id") WHERE "mobility"."direction" = 'outflow' and "mobility"."status" not in ('returned','transferred','ended');--> statement-breakpoint
CREATE INDEX "mobility_transition_mobility_idx" ON "mobility_transition" USING btree ("mobility_id","at");