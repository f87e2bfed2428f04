-- get_backreferences() against the information_schema query users write, in one run.
-- A schema of 100 tables and 200 foreign keys, so the catalogs have a realistic size.
\set QUIET on
\i bench/common.sql
DO $$
BEGIN
    CREATE TABLE users (id bigserial PRIMARY KEY, name text);
    FOR t IN 1 .. 100 LOOP
        EXECUTE format('CREATE TABLE child_%s (id bigserial PRIMARY KEY, user_id bigint REFERENCES users ON DELETE CASCADE, parent_id bigint REFERENCES %s)',
                       t, CASE WHEN t = 1 THEN 'users' ELSE format('child_%s', t - 1) END);
    END LOOP;
END $$;
\set QUIET off

-- The usual hand-written query (information_schema, as most answers online give it).
CREATE TEMP VIEW information_schema_backrefs AS
    SELECT kcu.table_name::text AS source_table, kcu.column_name::text AS source_column,
           ccu.table_name::text AS target_table, ccu.column_name::text AS target_column,
           rc.delete_rule::text AS on_delete, rc.update_rule::text AS on_update
    FROM information_schema.table_constraints tc
    JOIN information_schema.key_column_usage kcu
      ON kcu.constraint_name = tc.constraint_name AND kcu.constraint_schema = tc.constraint_schema
    JOIN information_schema.referential_constraints rc
      ON rc.constraint_name = tc.constraint_name AND rc.constraint_schema = tc.constraint_schema
    JOIN information_schema.constraint_column_usage ccu
      ON ccu.constraint_name = tc.constraint_name AND ccu.constraint_schema = tc.constraint_schema
    WHERE tc.constraint_type = 'FOREIGN KEY'
      AND ccu.table_schema = 'public' AND ccu.table_name = 'users';

PREPARE with_data_bridge AS
    SELECT source_table, source_column, target_table, target_column, on_delete, on_update
    FROM get_backreferences('users');
PREPARE with_information_schema AS SELECT * FROM information_schema_backrefs;
-- What a catalog-savvy user writes instead: pg_constraint joined to pg_attribute.
PREPARE with_pg_catalog AS
    SELECT c.conrelid::regclass AS source_table, sa.attname AS source_column,
           c.confrelid::regclass AS target_table, ta.attname AS target_column,
           c.confdeltype AS on_delete, c.confupdtype AS on_update
    FROM pg_catalog.pg_constraint c
    CROSS JOIN LATERAL unnest(c.conkey, c.confkey) AS k(source_attnum, target_attnum)
    JOIN pg_catalog.pg_attribute sa ON sa.attrelid = c.conrelid AND sa.attnum = k.source_attnum
    JOIN pg_catalog.pg_attribute ta ON ta.attrelid = c.confrelid AND ta.attnum = k.target_attnum
    WHERE c.contype = 'f' AND c.confrelid = 'users'::regclass AND c.conparentid = 0;

-- Both give the same rows before they are timed.
SELECT count(*) AS rows_in_only_one_answer FROM (
    (SELECT source_table::text, source_column, target_table::text, target_column, on_delete, on_update
     FROM get_backreferences('users')
     EXCEPT ALL SELECT * FROM information_schema_backrefs)
    UNION ALL
    (SELECT * FROM information_schema_backrefs
     EXCEPT ALL SELECT source_table::text, source_column, target_table::text, target_column, on_delete, on_update
     FROM get_backreferences('users'))) difference;

SELECT 'get_backreferences(''users''), 101 keys' AS "case",
       round(db::numeric, 4) AS "data_bridge ms/call",
       round(info::numeric, 3) AS "information_schema ms/call",
       round((info / db)::numeric, 1) AS "ratio vs information_schema",
       round(cat::numeric, 4) AS "pg_catalog join ms/call",
       round((cat / db)::numeric, 1) AS "ratio vs pg_catalog"
FROM (SELECT pg_temp.time_per_call('EXECUTE with_data_bridge', 2000) AS db,
             pg_temp.time_per_call('EXECUTE with_information_schema', 3) AS info,
             pg_temp.time_per_call('EXECUTE with_pg_catalog', 500) AS cat) timings;
