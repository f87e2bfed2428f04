-- Related rows of parents with distinct integer or uuid keys are read by one index scan for every
-- key (`= ANY` of the key array, through a btree on the foreign key) and matched to their parents
-- by the key's value. Compared here with SQL written independently: uuid, bigint (negative and
-- large), smallint and integer keys, NULL keys (a nullable UNIQUE key); and the cases probed key
-- by key: a hash index, a partitioned table, repeated keys, a numeric key, row security. Then
-- the row limit, and the plan's stability.
CREATE SCHEMA ek;
CREATE TABLE ek.owners_u (id uuid PRIMARY KEY, name text);
CREATE TABLE ek.pets_u (id int PRIMARY KEY, owner_id uuid REFERENCES ek.owners_u, name text);
CREATE INDEX ON ek.pets_u (owner_id);
CREATE TABLE ek.owners_b (id bigint PRIMARY KEY, name text);
CREATE TABLE ek.pets_b (id int PRIMARY KEY, owner_id bigint REFERENCES ek.owners_b, name text);
CREATE INDEX ON ek.pets_b (owner_id);
CREATE TABLE ek.pets_h (id int PRIMARY KEY, owner_id bigint REFERENCES ek.owners_b, name text);
CREATE INDEX ON ek.pets_h USING hash (owner_id);
CREATE TABLE ek.pets_p (id int, owner_id bigint REFERENCES ek.owners_b, name text, PRIMARY KEY (id, owner_id))
    PARTITION BY HASH (owner_id);
CREATE TABLE ek.pets_p0 PARTITION OF ek.pets_p FOR VALUES WITH (MODULUS 2, REMAINDER 0);
CREATE TABLE ek.pets_p1 PARTITION OF ek.pets_p FOR VALUES WITH (MODULUS 2, REMAINDER 1);
CREATE INDEX ON ek.pets_p (owner_id);
CREATE TABLE ek.owners_s (id smallint PRIMARY KEY, code int UNIQUE, name text);
CREATE TABLE ek.pets_s (id int PRIMARY KEY, owner_id smallint REFERENCES ek.owners_s,
                        owner_code int REFERENCES ek.owners_s (code), name text);
CREATE INDEX ON ek.pets_s (owner_id);
CREATE INDEX ON ek.pets_s (owner_code);
CREATE TABLE ek.owners_n (id numeric PRIMARY KEY, name text);
CREATE TABLE ek.pets_n (id int PRIMARY KEY, owner_id numeric REFERENCES ek.owners_n, name text);
CREATE INDEX ON ek.pets_n (owner_id);

INSERT INTO ek.owners_u SELECT md5(g::text)::uuid, 'owner ' || g FROM generate_series(1, 200) g;
INSERT INTO ek.pets_u SELECT g, CASE WHEN g % 13 = 0 THEN NULL ELSE md5((1 + (g * 7) % 150)::text)::uuid END,
                             CASE WHEN g % 5 = 0 THEN 'hidden' ELSE 'pet ' || g END
FROM generate_series(1, 1000) g;
INSERT INTO ek.owners_b SELECT CASE WHEN g % 2 = 0 THEN -g ELSE g * 1099511627776 END, 'owner ' || g
FROM generate_series(1, 200) g;
INSERT INTO ek.pets_b SELECT g, (SELECT id FROM ek.owners_b ORDER BY id OFFSET (g * 7) % 150 LIMIT 1), 'pet ' || g
FROM generate_series(1, 1000) g;
INSERT INTO ek.pets_p SELECT id, owner_id, name FROM ek.pets_b;
INSERT INTO ek.pets_h SELECT id, owner_id, name FROM ek.pets_b;
INSERT INTO ek.owners_s SELECT g, CASE WHEN g % 4 = 0 THEN NULL ELSE g * 3 END, 'owner ' || g
FROM generate_series(-100, 100) g;
INSERT INTO ek.pets_s SELECT g, -100 + (g * 7) % 150, CASE WHEN g % 3 = 0 THEN NULL ELSE ((-100 + (g * 11) % 200) * 3) END,
                             'pet ' || g
FROM generate_series(1, 1000) g
WHERE g % 3 = 0 OR (-100 + (g * 11) % 200) % 4 <> 0;
INSERT INTO ek.owners_n SELECT g, 'owner ' || g FROM generate_series(1, 200) g;
INSERT INTO ek.pets_n SELECT g, (1 + (g * 7) % 150)::numeric(10, 2), 'pet ' || g FROM generate_series(1, 1000) g;
ANALYZE ek.owners_u, ek.pets_u, ek.owners_b, ek.pets_b, ek.pets_h, ek.pets_p, ek.owners_s, ek.pets_s, ek.owners_n, ek.pets_n;

-- The oracle: the first `lim` owners by id, each with its pets by id (joined on fk = key).
CREATE FUNCTION pg_temp.oracle(owners text, pets text, fk text, key text, lim int) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    result jsonb;
BEGIN
    EXECUTE format('SELECT COALESCE(jsonb_agg(to_jsonb(o) || jsonb_build_object(''pets'', (
                        SELECT COALESCE(jsonb_agg(to_jsonb(p) ORDER BY p.id), ''[]'') FROM %s p
                        WHERE p.%I = o.%I)) ORDER BY o.id), ''[]'')
                    FROM (SELECT * FROM %s ORDER BY id LIMIT %s) o', pets, fk, key, owners, lim)
        INTO result;
    RETURN result;
END $$;
CREATE FUNCTION pg_temp.load(owners text, pets text, fk text, lim int) RETURNS jsonb LANGUAGE sql AS $$
    SELECT fetch_many_with_relations(owners::regclass,
        jsonb_build_array(jsonb_build_object('name', 'pets', 'table', pets, 'foreign_key', fk, 'order_by', 'id')),
        NULL, '"id"', lim)
$$;
CREATE FUNCTION pg_temp.load_json(owners text, pets text, fk text, lim int) RETURNS json LANGUAGE sql AS $$
    SELECT fetch_many_with_relations_json(owners::regclass,
        jsonb_build_array(jsonb_build_object('name', 'pets', 'table', pets, 'foreign_key', fk, 'order_by', 'id')),
        NULL, '"id"', lim)
$$;

SELECT owners, pets, fk, lim,
       pg_temp.load(owners, pets, fk, lim) = pg_temp.oracle(owners, pets, fk, key, lim) AS same,
       pg_temp.load_json(owners, pets, fk, lim)::text = pg_temp.load(owners, pets, fk, lim)::text AS same_json,
       (SELECT sum(jsonb_array_length(o -> 'pets')) FROM jsonb_array_elements(pg_temp.load(owners, pets, fk, lim)) o) AS pets_loaded
FROM (VALUES ('ek.owners_u', 'ek.pets_u', 'owner_id', 'id'), ('ek.owners_b', 'ek.pets_b', 'owner_id', 'id'),
             ('ek.owners_b', 'ek.pets_p', 'owner_id', 'id'), ('ek.owners_b', 'ek.pets_h', 'owner_id', 'id'), ('ek.owners_s', 'ek.pets_s', 'owner_id', 'id'),
             ('ek.owners_s', 'ek.pets_s', 'owner_code', 'code'), ('ek.owners_n', 'ek.pets_n', 'owner_id', 'id')) t(owners, pets, fk, key),
     (VALUES (1), (7), (200)) l(lim)
ORDER BY 1, 2, 3, 4;

-- Repeated keys: the pets first, each with its owner and the owner's pets (an owner's key comes
-- once per pet of the page).
SELECT fetch_many_with_relations('ek.pets_b',
           '[{"name": "owner", "table": "ek.owners_b", "relations": [{"name": "pets", "table": "ek.pets_b", "order_by": "id"}]}]',
           NULL, '["owner_id", "id"]', 40)
     = (SELECT jsonb_agg(to_jsonb(p) || jsonb_build_object('owner', to_jsonb(o) || jsonb_build_object('pets',
                (SELECT jsonb_agg(to_jsonb(q) ORDER BY q.id) FROM ek.pets_b q WHERE q.owner_id = o.id)))
                ORDER BY p.owner_id, p.id)
        FROM (SELECT * FROM ek.pets_b ORDER BY owner_id, id LIMIT 40) p JOIN ek.owners_b o ON o.id = p.owner_id) AS same_repeated_keys;

-- Row security: the caller sees its own rows only, as in its SELECT.
ALTER TABLE ek.pets_u ENABLE ROW LEVEL SECURITY;
CREATE POLICY ek_shown ON ek.pets_u USING (name <> 'hidden');
CREATE ROLE ek_reader;
GRANT USAGE ON SCHEMA ek TO ek_reader;
GRANT SELECT ON ek.owners_u, ek.pets_u TO ek_reader;
SET ROLE ek_reader;
SELECT pg_temp.load('ek.owners_u', 'ek.pets_u', 'owner_id', 50) = pg_temp.oracle('ek.owners_u', 'ek.pets_u', 'owner_id', 'id', 50) AS same_under_policy,
       pg_temp.load('ek.owners_u', 'ek.pets_u', 'owner_id', 50)::text LIKE '%hidden%' AS shows_hidden;
RESET ROLE;

-- The row limit counts the same rows.
SET data_bridge.max_rows = 100;
SELECT pg_temp.load('ek.owners_b', 'ek.pets_b', 'owner_id', 200);
RESET data_bridge.max_rows;

-- The one index scan stays one whatever makes PostgreSQL plan the statement again: here another
-- search_path. Planned on its own (a generic plan guesses ten keys, and the statistics give
-- 60,000 rows per value), it would scan the table and compare each of its 300,000 rows with the
-- 10,000 keys in turn, for seconds.
CREATE TABLE ek.hubs (id int PRIMARY KEY);
CREATE TABLE ek.items (id int PRIMARY KEY, hub_id int REFERENCES ek.hubs);
CREATE INDEX ON ek.items (hub_id);
INSERT INTO ek.hubs SELECT generate_series(1, 20000);
INSERT INTO ek.items SELECT g, 15001 + g % 5 FROM generate_series(1, 300000) g;
ANALYZE ek.hubs, ek.items;
CREATE FUNCTION pg_temp.hub_items() RETURNS bigint LANGUAGE sql AS $$
    SELECT sum(jsonb_array_length(h -> 'items'))
    FROM jsonb_array_elements(fetch_many_with_relations('ek.hubs',
        '[{"name": "items", "table": "ek.items", "select_columns": ["id"]}]', NULL, '"id"', 10000)) h
$$;
SET statement_timeout = '5s';
SELECT pg_temp.hub_items() AS items;
SET search_path = public, pg_catalog;
SELECT pg_temp.hub_items() AS items_after_search_path, current_setting('enable_seqscan') AS seqscan;
-- A plan that would compare rows with the keys runs nothing: the call probes key by key. Here a
-- covering index (id, hub_id) wins the generic plan over the index on hub_id, as an index-only
-- scan filtering each of the 150,000 rows by the 20,000 keys.
CREATE TABLE ek.items2 (id int PRIMARY KEY, hub_id int REFERENCES ek.hubs, filler text);
INSERT INTO ek.items2 SELECT g, 15001 + (hashint4(g) & 4095) % 500, repeat('x', 200) FROM generate_series(1, 150000) g;
CREATE INDEX ON ek.items2 (hub_id);
CREATE INDEX ON ek.items2 (id, hub_id);
VACUUM ANALYZE ek.items2;
SET statement_timeout = '2s';
SELECT jsonb_array_length(fetch_many_with_relations('ek.hubs',
           '[{"name": "items", "table": "ek.items2", "select_columns": ["id"]}]', NULL, '"id"', 20000)) AS hubs;
RESET search_path;
RESET statement_timeout;

DROP SCHEMA ek CASCADE;
DROP ROLE ek_reader;
