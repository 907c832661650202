CREATE TABLE "business_counts" (
	"kecamatan_code" text PRIMARY KEY NOT NULL,
	"businesses" integer NOT NULL,
	"covid_impacted" integer NOT NULL
);
