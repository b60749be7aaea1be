CREATE TABLE "census_campaign" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"name" text NOT NULL,
	"starts_on" date NOT NULL,
	"ends_on" date NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"opened_by" uuid,
	"closed_on" date,
	"closed_by" uuid,
	"summary" jsonb,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "census_campaign_status_check" CHECK ("census_campaign"."status" in ('open','closed')),
	CONSTRAINT "census_campaign_period_check" CHECK ("census_campaign"."ends_on" >= "census_campaign"."starts_on")
);
--> statement-breakpoint
CREATE TABLE "census_task" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"campaign_id" uuid NOT NULL,
	"member_id" uuid NOT NULL,
	"mobility_id" uuid,
	"org_id" uuid NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"verified_on" date,
	"verified_by" uuid,
	"note" text,
	"contact_id" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "census_task_status_check" CHECK ("census_task"."status" in ('pending','unchanged','changed','unreachable'))
);
--> statement-breakpoint
CREATE TABLE "contact" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"member_id" uuid NOT NULL,
	"mobility_id" uuid,
	"contacted_on" date NOT NULL,
	"channel" text NOT NULL,
	"reached" boolean NOT NULL,
	"work" text,
	"life" text,
	"thinking" text,
	"difficulties" text,
	"follow_up" text,
	"follow_up_needed" boolean DEFAULT false NOT NULL,
	"source" text DEFAULT 'liaison' NOT NULL,
	"liaison_id" uuid,
	"recorded_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "contact_channel_check" CHECK ("contact"."channel" in ('phone','sms','wechat','video','letter','visit','meeting','self_report')),
	CONSTRAINT "contact_source_check" CHECK ("contact"."source" in ('liaison','census','self_report','import'))
);
--> statement-breakpoint
CREATE TABLE "contact_schedule" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"category" text NOT NULL,
	"interval_months" integer NOT NULL,
	"updated_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "contact_schedule_category_check" CHECK ("contact_schedule"."category" in ('domestic','abroad')),
	CONSTRAINT "contact_schedule_interval_check" CHECK ("contact_schedule"."interval_months" between 1 and 6)
);
--> statement-breakpoint
CREATE TABLE "liaison" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"account_id" uuid,
	"name" text NOT NULL,
	"phone_enc" text,
	"phone_bidx" text,
	"title" text,
	"active" boolean DEFAULT true NOT NULL,
	"left_on" date,
	"created_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "liaison_assignment" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"member_id" uuid NOT NULL,
	"liaison_id" uuid NOT NULL,
	"category" text DEFAULT 'domestic' NOT NULL,
	"interval_months" integer,
	"duty" text NOT NULL,
	"assigned_on" date NOT NULL,
	"assigned_by" uuid,
	"ended_on" date,
	"end_reason" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "liaison_assignment_category_check" CHECK ("liaison_assignment"."category" in ('domestic','abroad')),
	CONSTRAINT "liaison_assignment_interval_check" CHECK ("liaison_assignment"."interval_months" is null or "liaison_assignment"."interval_months" between 1 and 6)
);
--> statement-breakpoint
CREATE TABLE "lost_contact_note" (
	"member_id" uuid PRIMARY KEY NOT NULL,
	"reason_code" text NOT NULL,
	"note" text,
	"updated_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "lost_contact_note_reason_check" CHECK ("lost_contact_note"."reason_code" in ('work_business','restructured','graduated','employer_changed','abroad','moved','other'))
);
--> statement-breakpoint
CREATE TABLE "participation" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"member_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"on_date" date NOT NULL,
	"source" text NOT NULL,
	"contact_id" uuid,
	"note" text,
	"recorded_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "participation_kind_check" CHECK ("participation"."kind" in ('org_life','dues')),
	CONSTRAINT "participation_source_check" CHECK ("participation"."source" in ('contact','census','import','manual'))
);
--> statement-breakpoint
CREATE TABLE "job" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"key" text NOT NULL,
	"payload" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"run_at" timestamp with time zone DEFAULT now() NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"locked_by" text,
	"done_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "job_status_check" CHECK ("job"."status" in ('queued','done','failed'))
);
--> statement-breakpoint
CREATE TABLE "notification" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"account_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"link" text,
	"dedupe_key" text NOT NULL,
	"read_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "notification_kind_check" CHECK ("notification"."kind" in ('reminder','warning','census','system'))
);
--> statement-breakpoint
CREATE TABLE "sms_broadcast" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"template_id" uuid NOT NULL,
	"org_id" uuid NOT NULL,
	"filter" jsonb NOT NULL,
	"params" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"recipient_count" integer NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sms_message" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"phone_enc" text NOT NULL,
	"phone_bidx" text NOT NULL,
	"member_id" uuid,
	"account_id" uuid,
	"template_id" uuid,
	"broadcast_id" uuid,
	"params" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"body" text NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_error" text,
	"provider" text,
	"provider_message_id" text,
	"dedupe_key" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone,
	CONSTRAINT "sms_message_status_check" CHECK ("sms_message"."status" in ('queued','sending','sent','failed','suppressed'))
);
--> statement-breakpoint
CREATE TABLE "sms_opt_out" (
	"phone_bidx" text PRIMARY KEY NOT NULL,
	"member_id" uuid,
	"source" text NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sms_template" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"body" text NOT NULL,
	"provider_template_code" text,
	"active" boolean DEFAULT true NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sms_template_kind_check" CHECK ("sms_template"."kind" in ('reminder','warning','broadcast','notice'))
);
--> statement-breakpoint
ALTER TABLE "census_campaign" ADD CONSTRAINT "census_campaign_org_id_org_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."org"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "census_campaign" ADD CONSTRAINT "census_campaign_opened_by_account_id_fk" FOREIGN KEY ("opened_by") REFERENCES "public"."account"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "census_campaign" ADD CONSTRAINT "census_campaign_closed_by_account_id_fk" FOREIGN KEY ("closed_by") REFERENCES "public"."account"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "census_task" ADD CONSTRAINT "census_task_campaign_id_census_campaign_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."census_campaign"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "census_task" ADD CONSTRAINT "census_task_member_id_member_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."member"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "census_task" ADD CONSTRAINT "census_task_mobility_id_mobility_id_fk" FOREIGN KEY ("mobility_id") REFERENCES "public"."mobility"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "census_task" ADD CONSTRAINT "census_task_org_id_org_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."org"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "census_task" ADD CONSTRAINT "census_task_verified_by_account_id_fk" FOREIGN KEY ("verified_by") REFERENCES "public"."account"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "census_task" ADD CONSTRAINT "census_task_contact_id_contact_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contact"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact" ADD CONSTRAINT "contact_member_id_member_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."member"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact" ADD CONSTRAINT "contact_mobility_id_mobility_id_fk" FOREIGN KEY ("mobility_id") REFERENCES "public"."mobility"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact" ADD CONSTRAINT "contact_liaison_id_liaison_id_fk" FOREIGN KEY ("liaison_id") REFERENCES "public"."liaison"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact" ADD CONSTRAINT "contact_recorded_by_account_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."account"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_schedule" ADD CONSTRAINT "contact_schedule_org_id_org_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."org"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_schedule" ADD CONSTRAINT "contact_schedule_updated_by_account_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."account"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "liaison" ADD CONSTRAINT "liaison_org_id_org_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."org"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "liaison" ADD CONSTRAINT "liaison_account_id_account_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."account"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "liaison" ADD CONSTRAINT "liaison_created_by_account_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."account"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "liaison_assignment" ADD CONSTRAINT "liaison_assignment_member_id_member_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."member"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "liaison_assignment" ADD CONSTRAINT "liaison_assignment_liaison_id_liaison_id_fk" FOREIGN KEY ("liaison_id") REFERENCES "public"."liaison"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "liaison_assignment" ADD CONSTRAINT "liaison_assignment_assigned_by_account_id_fk" FOREIGN KEY ("assigned_by") REFERENCES "public"."account"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lost_contact_note" ADD CONSTRAINT "lost_contact_note_member_id_member_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."member"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lost_contact_note" ADD CONSTRAINT "lost_contact_note_updated_by_account_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."account"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "participation" ADD CONSTRAINT "participation_member_id_member_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."member"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "participation" ADD CONSTRAINT "participation_contact_id_contact_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contact"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "participation" ADD CONSTRAINT "participation_recorded_by_account_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."account"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notification" ADD CONSTRAINT "notification_account_id_account_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."account"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sms_broadcast" ADD CONSTRAINT "sms_broadcast_template_id_sms_template_id_fk" FOREIGN KEY ("template_id") REFERENCES "public"."sms_template"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sms_broadcast" ADD CONSTRAINT "sms_broadcast_org_id_org_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."org"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sms_broadcast" ADD CONSTRAINT "sms_broadcast_created_by_account_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."account"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sms_message" ADD CONSTRAINT "sms_message_member_id_member_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."member"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sms_message" ADD CONSTRAINT "sms_message_account_id_account_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."account"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sms_message" ADD CONSTRAINT "sms_message_template_id_sms_template_id_fk" FOREIGN KEY ("template_id") REFERENCES "public"."sms_template"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sms_message" ADD CONSTRAINT "sms_message_broadcast_id_sms_broadcast_id_fk" FOREIGN KEY ("broadcast_id") REFERENCES "public"."sms_broadcast"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sms_opt_out" ADD CONSTRAINT "sms_opt_out_member_id_member_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."member"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sms_opt_out" ADD CONSTRAINT "sms_opt_out_created_by_account_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."account"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sms_template" ADD CONSTRAINT "sms_template_updated_by_account_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."account"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "census_campaign_org_idx" ON "census_campaign" USING btree ("org_id");--> statement-breakpoint
CREATE UNIQUE INDEX "census_task_campaign_member_key" ON "census_task" USING btree ("campaign_id","member_id");--> statement-breakpoint
CREATE INDEX "census_task_campaign_org_idx" ON "census_task" USING btree ("campaign_id","org_id","status");--> statement-breakpoint
CREATE INDEX "contact_member_idx" ON "contact" USING btree ("member_id","contacted_on");--> statement-breakpoint
CREATE INDEX "contact_member_reached_idx" ON "contact" USING btree ("member_id","contacted_on") WHERE "contact"."reached";--> statement-breakpoint
CREATE UNIQUE INDEX "contact_schedule_org_category_key" ON "contact_schedule" USING btree ("org_id","category");--> statement-breakpoint
CREATE INDEX "liaison_org_idx" ON "liaison" USING btree ("org_id");--> statement-breakpoint
CREATE UNIQUE INDEX "liaison_account_key" ON "liaison" USING btree ("account_id");--> statement-breakpoint
CREATE INDEX "liaison_assignment_liaison_idx" ON "liaison_assignment" USING btree ("liaison_id");--> statement-breakpoint
CREATE UNIQUE INDEX "liaison_assignment_one_open" ON "liaison_assignment" USING btree ("member_id") WHERE "liaison_assignment"."ended_on" is null;--> statement-breakpoint
CREATE INDEX "participation_member_kind_idx" ON "participation" USING btree ("member_id","kind","on_date");--> statement-breakpoint
CREATE UNIQUE INDEX "job_key_key" ON "job" USING btree ("key");--> statement-breakpoint
CREATE INDEX "job_queued_idx" ON "job" USING btree ("run_at") WHERE "job"."status" = 'queued';--> statement-breakpoint
CREATE UNIQUE INDEX "notification_dedupe_key" ON "notification" USING btree ("dedupe_key");--> statement-breakpoint
CREATE INDEX "notification_account_idx" ON "notification" USING btree ("account_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "sms_message_dedupe_key" ON "sms_message" USING btree ("dedupe_key");--> statement-breakpoint
CREATE INDEX "sms_message_queue_idx" ON "sms_message" USING btree ("next_attempt_at") WHERE "sms_message"."status" = 'queued';--> statement-breakpoint
CREATE INDEX "sms_message_phone_idx" ON "sms_message" USING btree ("phone_bidx","sent_at");--> statement-breakpoint
CREATE INDEX "sms_message_broadcast_idx" ON "sms_message" USING btree ("broadcast_id");--> statement-breakpoint
CREATE UNIQUE INDEX "sms_template_name_key" ON "sms_template" USING btree ("name");