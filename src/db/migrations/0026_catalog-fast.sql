CREATE TABLE "catalog_state" (
	"version" bigint NOT NULL
);
