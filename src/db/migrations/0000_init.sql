CREATE TYPE "public"."access_kind" AS ENUM('view', 'export');--> statement-breakpoint
CREATE TYPE "public"."allocation_status" AS ENUM('planned', 'handed_over', 'received', 'cancelled');--> statement-breakpoint
CREATE TYPE "public"."application_status" AS ENUM('pending', 'ineligible', 'enrolled', 'waitlisted', 'withdrawn', 'completed', 'dropped');--> statement-breakpoint
CREATE TYPE "public"."attendance_method" AS ENUM('qr', 'manual');--> statement-breakpoint
CREATE TYPE "public"."business_status" AS ENUM('aktif', 'tidak_aktif', 'tutup');--> statement-breakpoint
CREATE TYPE "public"."organisation_kind" AS ENUM('platform', 'dinas', 'sopd', 'kecamatan');--> statement-breakpoint
CREATE TYPE "public"."program_type" AS ENUM('training', 'aid', 'promotion');--> statement-breakpoint
CREATE TYPE "public"."selection_mode" AS ENUM('first_come', 'priority');--> statement-breakpoint
CREATE TYPE "public"."sex" AS ENUM('L', 'P');--> statement-breakpoint
CREATE TYPE "public"."token_kind" AS ENUM('session', 'api');--> statement-breakpoint
CREATE TYPE "public"."user_role" AS ENUM('admin', 'program_officer', 'kecamatan_officer', 'sopd_officer', 'owner');--> statement-breakpoint
CREATE TABLE "aid_allocations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"stock_id" uuid NOT NULL,
	"business_id" uuid NOT NULL,
	"program_id" uuid,
	"quantity" integer NOT NULL,
	"status" "allocation_status" DEFAULT 'planned' NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "aid_allocations_quantity" CHECK ("aid_allocations"."quantity" > 0)
);
--> statement-breakpoint
CREATE TABLE "aid_handovers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"allocation_id" uuid NOT NULL,
	"number" text NOT NULL,
	"handed_over_at" date NOT NULL,
	"place" text,
	"legal_basis" text,
	"condition" text DEFAULT 'baik' NOT NULL,
	"giver_user_id" uuid,
	"giver_name" text NOT NULL,
	"giver_nip" text,
	"giver_position" text,
	"photo" "bytea",
	"photo_type" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "aid_stock" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organisation_id" uuid NOT NULL,
	"budget_year" integer NOT NULL,
	"item" text NOT NULL,
	"spec" text,
	"unit" text NOT NULL,
	"unit_value" bigint NOT NULL,
	"quantity" integer NOT NULL,
	"allocated" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "aid_stock_within_quantity" CHECK ("aid_stock"."allocated" between 0 and "aid_stock"."quantity"),
	CONSTRAINT "aid_stock_value" CHECK ("aid_stock"."unit_value" >= 0)
);
--> statement-breakpoint
CREATE TABLE "applications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"program_id" uuid NOT NULL,
	"business_id" uuid NOT NULL,
	"status" "application_status" NOT NULL,
	"reasons" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"applied_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "attendance" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"session_id" uuid NOT NULL,
	"application_id" uuid NOT NULL,
	"checked_in_at" timestamp with time zone NOT NULL,
	"method" "attendance_method" NOT NULL,
	"recorded_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "audit_log_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor_id" uuid,
	"action" text NOT NULL,
	"entity" text NOT NULL,
	"entity_id" text,
	"before" jsonb,
	"after" jsonb
);
--> statement-breakpoint
CREATE TABLE "auth_tokens" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"token_hash" text NOT NULL,
	"user_id" uuid NOT NULL,
	"kind" "token_kind" NOT NULL,
	"name" text,
	"expires_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "businesses" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"ref" text,
	"owner_id" uuid NOT NULL,
	"name" text NOT NULL,
	"kbli" text,
	"kbli_version" smallint,
	"region_code" text NOT NULL,
	"kecamatan_code" text NOT NULL,
	"nib" text,
	"capital" bigint,
	"annual_turnover" bigint,
	"workers" integer,
	"covid_impacted" boolean,
	"status" "business_status" DEFAULT 'aktif' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "businesses_kbli_digits" CHECK ("businesses"."kbli" is null or "businesses"."kbli" ~ '^[0-9]{5}$'),
	CONSTRAINT "businesses_nib_digits" CHECK ("businesses"."nib" is null or "businesses"."nib" ~ '^[0-9]{13}$'),
	CONSTRAINT "businesses_amounts" CHECK (coalesce("businesses"."capital", 0) >= 0 and coalesce("businesses"."annual_turnover", 0) >= 0
      and coalesce("businesses"."workers", 0) >= 0)
);
--> statement-breakpoint
CREATE TABLE "certificates" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"code" text NOT NULL,
	"application_id" uuid NOT NULL,
	"issued_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone,
	"revoked_reason" text
);
--> statement-breakpoint
CREATE TABLE "organisations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"kind" "organisation_kind" NOT NULL,
	"region_code" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "people" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"nik" text NOT NULL,
	"name" text NOT NULL,
	"sex" "sex",
	"birth_date" date,
	"phone" text,
	"address" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "people_nik_digits" CHECK ("people"."nik" ~ '^[0-9]{16}$')
);
--> statement-breakpoint
CREATE TABLE "personal_data_access" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "personal_data_access_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor_id" uuid,
	"kind" "access_kind" NOT NULL,
	"subject" text NOT NULL,
	"filter" jsonb,
	"rows" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "products" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"business_id" uuid NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"price" bigint NOT NULL,
	"unit" text,
	"photo" "bytea",
	"photo_type" text,
	"published" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "products_price" CHECK ("products"."price" >= 0)
);
--> statement-breakpoint
CREATE TABLE "programs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organisation_id" uuid NOT NULL,
	"name" text NOT NULL,
	"type" "program_type" NOT NULL,
	"description" text,
	"capacity" integer NOT NULL,
	"enrolled_count" integer DEFAULT 0 NOT NULL,
	"selection" "selection_mode" NOT NULL,
	"start_date" date NOT NULL,
	"end_date" date NOT NULL,
	"venue" text,
	"eligibility" jsonb DEFAULT 'true'::jsonb NOT NULL,
	"min_attendance_ratio" numeric(4, 3) DEFAULT 0.8 NOT NULL,
	"hours" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "programs_capacity_positive" CHECK ("programs"."capacity" > 0),
	CONSTRAINT "programs_enrolled_within_capacity" CHECK ("programs"."enrolled_count" between 0 and "programs"."capacity"),
	CONSTRAINT "programs_dates" CHECK ("programs"."end_date" >= "programs"."start_date"),
	CONSTRAINT "programs_ratio" CHECK ("programs"."min_attendance_ratio" > 0 and "programs"."min_attendance_ratio" <= 1)
);
--> statement-breakpoint
CREATE TABLE "settings" (
	"key" text PRIMARY KEY NOT NULL,
	"value" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "training_sessions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"program_id" uuid NOT NULL,
	"day" integer NOT NULL,
	"date" date NOT NULL,
	"starts_at" text NOT NULL,
	"ends_at" text NOT NULL,
	"topic" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "training_sessions_times" CHECK ("training_sessions"."starts_at" ~ '^[0-2][0-9]:[0-5][0-9]$' and "training_sessions"."ends_at" > "training_sessions"."starts_at")
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"username" text NOT NULL,
	"password_hash" text NOT NULL,
	"display_name" text NOT NULL,
	"role" "user_role" NOT NULL,
	"organisation_id" uuid,
	"person_id" uuid,
	"nip" text,
	"position" text,
	"disabled_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "users_role_scope" CHECK (("users"."role" not in ('kecamatan_officer', 'sopd_officer') or "users"."organisation_id" is not null)
        and ("users"."role" <> 'owner' or "users"."person_id" is not null))
);
--> statement-breakpoint
ALTER TABLE "aid_allocations" ADD CONSTRAINT "aid_allocations_stock_id_aid_stock_id_fk" FOREIGN KEY ("stock_id") REFERENCES "public"."aid_stock"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "aid_allocations" ADD CONSTRAINT "aid_allocations_business_id_businesses_id_fk" FOREIGN KEY ("business_id") REFERENCES "public"."businesses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "aid_allocations" ADD CONSTRAINT "aid_allocations_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "aid_allocations" ADD CONSTRAINT "aid_allocations_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "aid_handovers" ADD CONSTRAINT "aid_handovers_allocation_id_aid_allocations_id_fk" FOREIGN KEY ("allocation_id") REFERENCES "public"."aid_allocations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "aid_handovers" ADD CONSTRAINT "aid_handovers_giver_user_id_users_id_fk" FOREIGN KEY ("giver_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "aid_stock" ADD CONSTRAINT "aid_stock_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "applications" ADD CONSTRAINT "applications_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "applications" ADD CONSTRAINT "applications_business_id_businesses_id_fk" FOREIGN KEY ("business_id") REFERENCES "public"."businesses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "applications" ADD CONSTRAINT "applications_applied_by_users_id_fk" FOREIGN KEY ("applied_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attendance" ADD CONSTRAINT "attendance_session_id_training_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."training_sessions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attendance" ADD CONSTRAINT "attendance_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attendance" ADD CONSTRAINT "attendance_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "auth_tokens" ADD CONSTRAINT "auth_tokens_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "businesses" ADD CONSTRAINT "businesses_owner_id_people_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "certificates" ADD CONSTRAINT "certificates_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "personal_data_access" ADD CONSTRAINT "personal_data_access_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "products" ADD CONSTRAINT "products_business_id_businesses_id_fk" FOREIGN KEY ("business_id") REFERENCES "public"."businesses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "programs" ADD CONSTRAINT "programs_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_sessions" ADD CONSTRAINT "training_sessions_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "aid_allocations_stock_business_key" ON "aid_allocations" USING btree ("stock_id","business_id") WHERE "aid_allocations"."status" <> 'cancelled';--> statement-breakpoint
CREATE INDEX "aid_allocations_business_idx" ON "aid_allocations" USING btree ("business_id");--> statement-breakpoint
CREATE UNIQUE INDEX "aid_handovers_allocation_key" ON "aid_handovers" USING btree ("allocation_id");--> statement-breakpoint
CREATE UNIQUE INDEX "aid_handovers_number_key" ON "aid_handovers" USING btree ("number");--> statement-breakpoint
CREATE UNIQUE INDEX "aid_stock_org_year_item_key" ON "aid_stock" USING btree ("organisation_id","budget_year","item");--> statement-breakpoint
CREATE UNIQUE INDEX "applications_program_business_key" ON "applications" USING btree ("program_id","business_id");--> statement-breakpoint
CREATE INDEX "applications_program_status_idx" ON "applications" USING btree ("program_id","status","created_at");--> statement-breakpoint
CREATE INDEX "applications_business_idx" ON "applications" USING btree ("business_id");--> statement-breakpoint
CREATE UNIQUE INDEX "attendance_session_application_key" ON "attendance" USING btree ("session_id","application_id");--> statement-breakpoint
CREATE INDEX "audit_log_entity_idx" ON "audit_log" USING btree ("entity","entity_id");--> statement-breakpoint
CREATE INDEX "audit_log_at_idx" ON "audit_log" USING btree ("at");--> statement-breakpoint
CREATE UNIQUE INDEX "auth_tokens_hash_key" ON "auth_tokens" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "auth_tokens_user_idx" ON "auth_tokens" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "businesses_ref_key" ON "businesses" USING btree ("ref");--> statement-breakpoint
CREATE UNIQUE INDEX "businesses_owner_name_key" ON "businesses" USING btree ("owner_id",lower("name")) WHERE "businesses"."ref" is null;--> statement-breakpoint
CREATE INDEX "businesses_kecamatan_idx" ON "businesses" USING btree ("kecamatan_code");--> statement-breakpoint
CREATE INDEX "businesses_kbli_idx" ON "businesses" USING btree ("kbli");--> statement-breakpoint
CREATE INDEX "businesses_owner_idx" ON "businesses" USING btree ("owner_id");--> statement-breakpoint
CREATE UNIQUE INDEX "certificates_code_key" ON "certificates" USING btree ("code");--> statement-breakpoint
CREATE UNIQUE INDEX "certificates_application_key" ON "certificates" USING btree ("application_id");--> statement-breakpoint
CREATE UNIQUE INDEX "organisations_code_key" ON "organisations" USING btree ("code");--> statement-breakpoint
CREATE UNIQUE INDEX "people_nik_key" ON "people" USING btree ("nik");--> statement-breakpoint
CREATE INDEX "personal_data_access_at_idx" ON "personal_data_access" USING btree ("at");--> statement-breakpoint
CREATE INDEX "products_business_idx" ON "products" USING btree ("business_id");--> statement-breakpoint
CREATE UNIQUE INDEX "training_sessions_program_day_key" ON "training_sessions" USING btree ("program_id","day");--> statement-breakpoint
CREATE UNIQUE INDEX "users_username_key" ON "users" USING btree ("username");