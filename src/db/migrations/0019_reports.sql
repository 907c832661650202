CREATE TABLE "follow_up_answers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"follow_up_id" uuid NOT NULL,
	"sales_last_month" bigint NOT NULL,
	"workers" integer NOT NULL,
	"still_producing" boolean NOT NULL,
	"channels" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"aid_in_use" boolean,
	"aid_not_used_reason" text,
	"remark" text,
	"source" text NOT NULL,
	"recorded_by" uuid,
	"answered_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "follow_up_answers_amounts" CHECK ("follow_up_answers"."sales_last_month" >= 0 and "follow_up_answers"."workers" >= 0),
	CONSTRAINT "follow_up_answers_source" CHECK ("follow_up_answers"."source" in ('self', 'phone', 'visit'))
);
--> statement-breakpoint
CREATE TABLE "follow_ups" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"program_id" uuid NOT NULL,
	"application_id" uuid NOT NULL,
	"business_id" uuid NOT NULL,
	"due_at" date NOT NULL,
	"token" text NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "program_photos" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"program_id" uuid NOT NULL,
	"photo" "bytea" NOT NULL,
	"photo_type" text NOT NULL,
	"caption" text,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "program_reports" (
	"program_id" uuid PRIMARY KEY NOT NULL,
	"background" text,
	"legal_basis" text,
	"updated_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "follow_up_answers" ADD CONSTRAINT "follow_up_answers_follow_up_id_follow_ups_id_fk" FOREIGN KEY ("follow_up_id") REFERENCES "public"."follow_ups"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follow_up_answers" ADD CONSTRAINT "follow_up_answers_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follow_ups" ADD CONSTRAINT "follow_ups_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follow_ups" ADD CONSTRAINT "follow_ups_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follow_ups" ADD CONSTRAINT "follow_ups_business_id_businesses_id_fk" FOREIGN KEY ("business_id") REFERENCES "public"."businesses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follow_ups" ADD CONSTRAINT "follow_ups_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "program_photos" ADD CONSTRAINT "program_photos_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "program_photos" ADD CONSTRAINT "program_photos_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "program_reports" ADD CONSTRAINT "program_reports_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "program_reports" ADD CONSTRAINT "program_reports_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "follow_up_answers_follow_up_idx" ON "follow_up_answers" USING btree ("follow_up_id","answered_at");--> statement-breakpoint
CREATE UNIQUE INDEX "follow_ups_program_due_application_key" ON "follow_ups" USING btree ("program_id","due_at","application_id");--> statement-breakpoint
CREATE UNIQUE INDEX "follow_ups_token_key" ON "follow_ups" USING btree ("token");--> statement-breakpoint
CREATE INDEX "follow_ups_application_idx" ON "follow_ups" USING btree ("application_id");--> statement-breakpoint
CREATE INDEX "program_photos_program_idx" ON "program_photos" USING btree ("program_id","created_at");