-- Cascade deletes on Citus. orgs is distributed by its key; members, tasks (a tree), their tags
-- and audits are co-located with it, every foreign key includes org_id. The count is the
-- workers' own counters of the caller's DELETE: it must equal what the DELETE removed (counted
-- by hand before and after), and the DELETE must do what a plain DELETE does.
\set VERBOSITY terse
CREATE EXTENSION data_bridge;
CREATE TABLE orgs (id bigint PRIMARY KEY, name text);
CREATE TABLE members (org_id bigint, id int, name text, PRIMARY KEY (org_id, id));
CREATE TABLE tasks (org_id bigint, id int, member_id int, parent_id int, PRIMARY KEY (org_id, id));
CREATE TABLE tags (org_id bigint, task_id int, tag text, PRIMARY KEY (org_id, task_id, tag));
CREATE TABLE audits (org_id bigint, id int, member_id int, PRIMARY KEY (org_id, id));
CREATE TABLE kinds (id int PRIMARY KEY);
SELECT create_distributed_table('orgs', 'id');
SELECT create_distributed_table('members', 'org_id', colocate_with => 'orgs');
SELECT create_distributed_table('tasks', 'org_id', colocate_with => 'orgs');
SELECT create_distributed_table('tags', 'org_id', colocate_with => 'orgs');
SELECT create_distributed_table('audits', 'org_id', colocate_with => 'orgs');
SELECT create_reference_table('kinds');
ALTER TABLE members ADD FOREIGN KEY (org_id) REFERENCES orgs ON DELETE CASCADE;
ALTER TABLE tasks ADD FOREIGN KEY (org_id, member_id) REFERENCES members ON DELETE CASCADE;
ALTER TABLE tasks ADD FOREIGN KEY (org_id, parent_id) REFERENCES tasks ON DELETE CASCADE;
ALTER TABLE tags ADD FOREIGN KEY (org_id, task_id) REFERENCES tasks ON DELETE CASCADE;
ALTER TABLE audits ADD FOREIGN KEY (org_id, member_id) REFERENCES members;
ALTER TABLE members ADD COLUMN kind int;
ALTER TABLE members ADD CONSTRAINT members_kind FOREIGN KEY (kind) REFERENCES kinds;
INSERT INTO kinds VALUES (1), (2);
SELECT setseed(0.42);
-- 12 orgs of 6 members; 60 tasks each, the first 45 in chains under earlier tasks (a chain 40
-- deep in org 1), 0-3 tags each.
INSERT INTO orgs SELECT o, 'org ' || o FROM generate_series(1, 12) o;
INSERT INTO members SELECT o, m, 'm' || m, 1 + m % 2 FROM generate_series(1, 12) o, generate_series(1, 6) m;
INSERT INTO tasks SELECT o, t, 1 + floor(random() * 6)::int,
    CASE WHEN o = 1 AND t BETWEEN 2 AND 41 THEN t - 1
         WHEN t > 15 THEN 1 + floor(random() * (t - 1))::int END
FROM generate_series(1, 12) o, generate_series(1, 60) t;
INSERT INTO tags SELECT DISTINCT o, 1 + floor(random() * 60)::int, 'tag' || floor(random() * 3)::int
FROM generate_series(1, 12) o, generate_series(1, 80) g;

-- Every row of one org, by table: what the DELETE leaves is compared with this.
-- (PL/pgSQL: Citus does not plan SQL functions' parameters.)
CREATE FUNCTION org_rows(org bigint) RETURNS bigint LANGUAGE plpgsql AS $$
BEGIN
    RETURN (SELECT count(*) FROM orgs WHERE id = org) + (SELECT count(*) FROM members WHERE org_id = org)
         + (SELECT count(*) FROM tasks WHERE org_id = org) + (SELECT count(*) FROM tags WHERE org_id = org)
         + (SELECT count(*) FROM audits WHERE org_id = org);
END $$;

-- One tenant's tree: a task 40 levels up its chain, with its subtree and tags.
SELECT org_rows(1) AS before \gset
SELECT delete_with_cascade('tasks', '{"org_id": 1, "id": 2}') AS deleted \gset
-- (data_bridge and org_rows() in statements of their own: Citus pushes a query over one
-- tenant's shard, functions and all, to the worker.)
SELECT :deleted AS deleted, :before - org_rows(1) = :deleted AS equals_rows_gone;
SELECT count(*) AS chain_left FROM tasks WHERE org_id = 1 AND id BETWEEN 2 AND 41;

-- Random members of random orgs, against the rows each DELETE removed; the same member twice
-- (gone the second time) counts 0. Every second case as a plain DELETE's result, in a
-- subtransaction that the next comparison does not see.
CREATE TABLE cascade_mismatches (org bigint, member int, got bigint, gone bigint);
CREATE TABLE cascade_log (got bigint);
DO $$
DECLARE
    org bigint;
    member int;
    before bigint;
    got bigint;
BEGIN
    FOR i IN 1..40 LOOP
        org := 2 + floor(random() * 10)::int;
        member := 1 + floor(random() * 6)::int;
        DELETE FROM audits WHERE org_id = org AND member_id = member;
        before := org_rows(org);
        got := delete_with_cascade('members', jsonb_build_object('org_id', org, 'id', member));
        INSERT INTO cascade_log VALUES (got);
        IF got <> before - org_rows(org) THEN
            INSERT INTO cascade_mismatches VALUES (org, member, got, before - org_rows(org));
        END IF;
    END LOOP;
END $$;
SELECT count(*) AS cascade_mismatches FROM cascade_mismatches;
SELECT sum(got) > 40 AS rows_were_deleted FROM cascade_log;

-- Many keys of a table distributed by its key: one walk per tenant, one DELETE; a key twice
-- counts once, a missing key nothing; as text, converted as the caller.
SELECT org_rows(10) + org_rows(11) AS before \gset
DELETE FROM audits WHERE org_id IN (10, 11);
SELECT delete_many_with_cascade('orgs', ARRAY[10, 11, 11, 99]::bigint[]) = :before AS many_equals_rows_gone,
       org_rows(10) + org_rows(11) AS left_over;
SELECT org_rows(12) AS before \gset
SELECT delete_many_with_cascade('orgs', '{12}'::text) = :before AS text_keys;
-- One report per key, each in its own subtransaction on the workers too: org 9's audit refuses.
INSERT INTO audits VALUES (9, 1, 1);
SELECT org_rows(8) AS before \gset
SELECT jsonb_path_query_array(delete_each_with_cascade('orgs', ARRAY[8, 9], 'skip'), '$[*].ok') AS ok,
       (delete_each_with_cascade('orgs', ARRAY[7], 'skip') -> 0 -> 'deleted')::bigint > 0 AS seven,
       org_rows(8) AS eight_left, org_rows(9) > 0 AS nine_kept;

-- A RESTRICT or NO ACTION reference refuses as a plain DELETE does (Citus' own error: the
-- worker's, naming the shards), and nothing changes.
SELECT org_rows(9) AS before \gset
\set VERBOSITY sqlstate
SELECT delete_with_cascade('orgs', 9);
\set VERBOSITY terse
SELECT org_rows(9) = :before AS unchanged;

-- The limit counts every tenant's rows; over it, 54000 and the DELETE is undone.
SET data_bridge.max_cascade_rows = 5;
SELECT delete_with_cascade('members', '{"org_id": 6, "id": 1}');
\echo :LAST_ERROR_SQLSTATE
-- Across tenants the rows add up: a limit between one org's rows and two orgs' refuses the two.
SELECT org_rows(5) AS five, org_rows(6) AS six \gset
SELECT set_config('data_bridge.max_cascade_rows', greatest(:five, :six)::text, false) IS NOT NULL AS limit_set;
SELECT delete_many_with_cascade('orgs', ARRAY[5, 6]::bigint[]);
\echo :LAST_ERROR_SQLSTATE
SELECT org_rows(5) = :five AND org_rows(6) = :six AS both_unchanged;
RESET data_bridge.max_cascade_rows;

-- A BEFORE DELETE trigger that keeps rows: the count is of the rows that went.
SET citus.enable_unsafe_triggers = on;
CREATE FUNCTION keep_tagged() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.tag = 'tag0' THEN RETURN NULL; END IF;
    RETURN OLD;
END $$;
CREATE TRIGGER keep_tagged BEFORE DELETE ON tags FOR EACH ROW EXECUTE FUNCTION keep_tagged();
SELECT org_id, id AS member FROM members WHERE (org_id, id) IN
    (SELECT t.org_id, t.member_id FROM tasks t JOIN tags g USING (org_id) WHERE g.task_id = t.id AND g.tag = 'tag0'
     AND NOT EXISTS (SELECT 1 FROM audits a WHERE a.org_id = t.org_id AND a.member_id = t.member_id))
ORDER BY 1, 2 LIMIT 1 \gset
SELECT org_rows(:org_id) AS before \gset
BEGIN;
SELECT delete_with_cascade('members', jsonb_build_object('org_id', :org_id, 'id', :member)) AS deleted \gset
SELECT :before - org_rows(:org_id) = :deleted AS trigger_kept_rows_not_counted;
SELECT count(*) > 0 AS tags_kept FROM tags WHERE org_id = :org_id AND tag = 'tag0';
ROLLBACK;
DROP TRIGGER keep_tagged ON tags;
-- A kept row keeps the rows below it: a trigger on tasks keeping the even ones (and so their
-- subtrees and tags). And a root row kept by its own trigger, nothing referencing its table.
CREATE FUNCTION keep_even() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.id % 2 = 0 THEN RETURN NULL; END IF;
    RETURN OLD;
END $$;
CREATE TRIGGER keep_even BEFORE DELETE ON tasks FOR EACH ROW EXECUTE FUNCTION keep_even();
SELECT org_rows(3) AS before \gset
BEGIN;
SELECT delete_with_cascade('members', '{"org_id": 3, "id": 4}') AS deleted \gset
SELECT :before - org_rows(3) = :deleted AS kept_subtrees_not_counted;
ROLLBACK;
DROP TRIGGER keep_even ON tasks;
CREATE TABLE lone (org_id bigint, id int, PRIMARY KEY (org_id, id));
SELECT create_distributed_table('lone', 'org_id', colocate_with => 'orgs');
INSERT INTO lone VALUES (1, 1), (1, 2);
CREATE TRIGGER keep_even BEFORE DELETE ON lone FOR EACH ROW EXECUTE FUNCTION keep_even();
SELECT delete_with_cascade('lone', '{"org_id": 1, "id": 2}') AS kept_root,
       delete_with_cascade('lone', '{"org_id": 1, "id": 1}') AS deleted_root;
DROP TRIGGER keep_even ON lone;
SELECT "rows", rows_exist FROM delete_plan('lone', '{"org_id": 1, "id": 2}');
RESET citus.enable_unsafe_triggers;

-- A role that may delete members (and no more): counted from the workers' counters, whatever it
-- may lock. Rows of a table under row-level security for the caller go (the owner's foreign-key
-- triggers delete them) but are not counted, as everywhere.
CREATE ROLE cascade_caller LOGIN;  -- Citus connects to the workers as the caller
GRANT USAGE ON SCHEMA public TO cascade_caller;
GRANT SELECT, DELETE ON members TO cascade_caller;
GRANT SELECT ON tasks, tags, orgs, audits TO cascade_caller;
DELETE FROM audits WHERE org_id = 5;
SELECT min(member_id) AS first, max(member_id) AS second
FROM (SELECT member_id FROM tasks WHERE org_id = 5 GROUP BY member_id ORDER BY count(*) DESC, member_id LIMIT 2) m \gset
SELECT org_rows(5) AS before \gset
SELECT count(*) AS tasks_before FROM tasks WHERE org_id = 5 \gset
ALTER TABLE tasks ENABLE ROW LEVEL SECURITY;
CREATE POLICY no_tasks ON tasks USING (false);
SET ROLE cascade_caller;
SELECT delete_with_cascade('members', jsonb_build_object('org_id', 5, 'id', :first)) AS deleted \gset
RESET ROLE;
ALTER TABLE tasks DISABLE ROW LEVEL SECURITY;
SELECT org_rows(5) AS after \gset
SELECT count(*) AS tasks_after FROM tasks WHERE org_id = 5 \gset
SELECT :before - :after - (:tasks_before - :tasks_after) = :deleted AS tasks_not_counted,
       :tasks_after < :tasks_before AS tasks_deleted;
SET ROLE cascade_caller;
SELECT delete_with_cascade('members', jsonb_build_object('org_id', 5, 'id', :second)) AS deleted \gset
RESET ROLE;
SELECT :after - org_rows(5) = :deleted AS counted_as_caller;
-- What a plain DELETE needs is enough: SELECT on the key's columns only, no privilege on the
-- tables the cascade reaches (their rows go uncounted, as everywhere), no USAGE on the schema
-- of one (the shards' counters are found by name on the worker).
CREATE SCHEMA hidden;
CREATE TABLE hidden.notes (org_id bigint, id int, member_id int, PRIMARY KEY (org_id, id));
SELECT create_distributed_table('hidden.notes', 'org_id', colocate_with => 'orgs');
ALTER TABLE hidden.notes ADD FOREIGN KEY (org_id, member_id) REFERENCES members ON DELETE CASCADE;
CREATE ROLE key_only LOGIN;
GRANT USAGE ON SCHEMA public TO key_only;
GRANT SELECT (org_id, id), DELETE ON members TO key_only;
DELETE FROM audits WHERE org_id = 6;
SELECT member_id AS third FROM tasks WHERE org_id = 6 GROUP BY member_id ORDER BY count(*) DESC, member_id LIMIT 1 \gset
INSERT INTO hidden.notes VALUES (6, 1, :third), (6, 2, :third);
SELECT count(*) AS tasks_before FROM tasks WHERE org_id = 6 AND member_id = :third \gset
SET ROLE key_only;
SELECT delete_with_cascade('members', jsonb_build_object('org_id', 6, 'id', :third)) AS only_the_member;
RESET ROLE;
SELECT count(*) AS notes_left FROM hidden.notes;
SELECT count(*) AS tasks_left, :tasks_before > 0 AS had_tasks FROM tasks WHERE org_id = 6 AND member_id = :third;
DROP TABLE hidden.notes;
DROP SCHEMA hidden;
-- The count is read in statements Citus routes to the tenant's worker: without router
-- execution, refused before anything changes.
SET citus.enable_router_execution = off;
SELECT delete_with_cascade('members', '{"org_id": 5, "id": 6}');
\echo :LAST_ERROR_SQLSTATE
RESET citus.enable_router_execution;

-- delete_plan: the walk over every key of the tenant's rows (as the caller, nothing locked),
-- then the DELETE in a subtransaction rolled back; its lines add up to what the DELETE counts.
-- Citus passes a worker's 23503 on without the constraint's name: every RESTRICT or NO ACTION
-- line with references left blocks.
SELECT org_rows(4) AS before \gset
SELECT depth, path, table_name, action, "rows", blocks FROM delete_plan('members', '{"org_id": 4, "id": 3}') ORDER BY depth, path;
SELECT sum("rows") AS plan_rows FROM delete_plan('members', '{"org_id": 4, "id": 3}') \gset
BEGIN;
SELECT delete_with_cascade('members', '{"org_id": 4, "id": 3}') = :plan_rows AS plan_adds_up;
ROLLBACK;
INSERT INTO audits VALUES (4, 1, 3), (4, 2, 3);
SELECT depth, table_name, action, "rows", blocks FROM delete_plan('members', '{"org_id": 4, "id": 3}') WHERE blocks OR depth = 0;
SELECT bool_or(blocks) AS other_member_blocks FROM delete_plan('members', '{"org_id": 4, "id": 1}');
SELECT org_rows(4) = :before + 2 AS plan_changed_nothing;
DELETE FROM audits WHERE org_id = 4;

-- A tenant of an enum type, the key as text (converted as the caller): the tenants are read
-- first, so each locking statement states a value Citus routes by.
CREATE TYPE shade AS ENUM ('red', 'green');
CREATE TABLE palettes (shade shade PRIMARY KEY);
CREATE TABLE swatches (shade shade, id int, PRIMARY KEY (shade, id));
SELECT create_distributed_table('palettes', 'shade');
SELECT create_distributed_table('swatches', 'shade', colocate_with => 'palettes');
ALTER TABLE swatches ADD FOREIGN KEY (shade) REFERENCES palettes ON DELETE CASCADE;
INSERT INTO palettes VALUES ('red'), ('green');
INSERT INTO swatches SELECT s, g FROM unnest(enum_range(NULL::shade)) s, generate_series(1, 3) g;
SELECT delete_with_cascade('palettes', 'red'::text) AS red, delete_many_with_cascade('palettes', '{green}'::text) AS green;
SELECT count(*) AS swatches_left FROM swatches;

-- Partitioned distributed tables: counted by each partition's shard. delete_plan reads a
-- partitioned table whole and follows the keys that reference it; it refuses (before anything
-- changes) a partition whose rows its partitioned table's keys reach.
CREATE TABLE events (org_id bigint, id int, day date, PRIMARY KEY (org_id, id, day)) PARTITION BY RANGE (day);
CREATE TABLE events_2025 PARTITION OF events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE event_notes (org_id bigint, id int, event_id int, day date, PRIMARY KEY (org_id, id));
SELECT create_distributed_table('events', 'org_id', colocate_with => 'orgs');
SELECT create_distributed_table('event_notes', 'org_id', colocate_with => 'orgs');
ALTER TABLE event_notes ADD FOREIGN KEY (org_id, event_id, day) REFERENCES events ON DELETE CASCADE;
INSERT INTO events VALUES (2, 1, '2025-05-01'), (2, 2, '2025-06-01');
INSERT INTO event_notes VALUES (2, 1, 1, '2025-05-01'), (2, 2, 1, '2025-05-01'), (2, 3, 2, '2025-06-01');
SELECT depth, table_name, rows FROM delete_plan('events', '{"org_id": 2, "id": 1, "day": "2025-05-01"}') ORDER BY depth;
SELECT * FROM delete_plan('events_2025', '{"org_id": 2, "id": 2, "day": "2025-06-01"}');
\echo :LAST_ERROR_SQLSTATE
SELECT delete_with_cascade('events', '{"org_id": 2, "id": 1, "day": "2025-05-01"}') AS from_parent,
       delete_with_cascade('events_2025', '{"org_id": 2, "id": 2, "day": "2025-06-01"}') AS from_partition;
SELECT count(*) AS events FROM events;
SELECT count(*) AS notes FROM event_notes;
DROP TABLE event_notes, events;

-- Partitioned tables referencing partitioned tables, two levels down: each level's plan adds up
-- to what the delete counts, for one tenant and from the tenant's root row.
CREATE TABLE p_orgs (org_id bigint PRIMARY KEY);
CREATE TABLE p_events (org_id bigint REFERENCES p_orgs ON DELETE CASCADE, id int, day date,
                       PRIMARY KEY (org_id, id, day)) PARTITION BY RANGE (day);
CREATE TABLE p_events_2025 PARTITION OF p_events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE p_events_2026 PARTITION OF p_events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
CREATE TABLE p_notes (org_id bigint, id int, event_id int, day date, PRIMARY KEY (org_id, id, day),
                      FOREIGN KEY (org_id, event_id, day) REFERENCES p_events ON DELETE CASCADE)
    PARTITION BY RANGE (day);
CREATE TABLE p_notes_2025 PARTITION OF p_notes FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE p_notes_2026 PARTITION OF p_notes FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
CREATE TABLE p_replies (org_id bigint, id int, note_id int, note_day date, PRIMARY KEY (org_id, id),
                        FOREIGN KEY (org_id, note_id, note_day) REFERENCES p_notes ON DELETE CASCADE);
-- Citus adds no foreign key to a partitioned table once distributed: they are declared first.
SELECT create_distributed_table('p_orgs', 'org_id', colocate_with => 'orgs');
SELECT create_distributed_table('p_events', 'org_id', colocate_with => 'orgs');
SELECT create_distributed_table('p_notes', 'org_id', colocate_with => 'orgs');
SELECT create_distributed_table('p_replies', 'org_id', colocate_with => 'orgs');
INSERT INTO p_orgs SELECT g FROM generate_series(1, 6) g;
INSERT INTO p_events SELECT o, e, d FROM generate_series(1, 6) o, generate_series(1, 5) e,
                                         (VALUES (date '2025-03-01'), (date '2026-03-01')) v(d);
INSERT INTO p_notes SELECT o, e * 10 + n, e, d FROM generate_series(1, 6) o, generate_series(1, 5) e,
                           generate_series(1, 3) n, (VALUES (date '2025-03-01'), (date '2026-03-01')) v(d);
INSERT INTO p_replies SELECT o, row_number() OVER (PARTITION BY o), n.id, n.day
FROM generate_series(1, 6) o JOIN p_notes n ON n.org_id = o, generate_series(1, 2);
SELECT depth, table_name, rows FROM delete_plan('p_orgs', 3) ORDER BY depth;
SELECT depth, table_name, rows FROM delete_plan('p_events', '{"org_id": 2, "id": 1, "day": "2026-03-01"}') ORDER BY depth;
SELECT (SELECT sum(rows) FROM delete_plan('p_orgs', 3)) AS planned, delete_with_cascade('p_orgs', 3) AS deleted;
SELECT (SELECT sum(rows) FROM delete_plan('p_events', '{"org_id": 2, "id": 1, "day": "2026-03-01"}')) AS planned,
       delete_with_cascade('p_events', '{"org_id": 2, "id": 1, "day": "2026-03-01"}') AS deleted;
SELECT (SELECT count(*) FROM p_notes) AS notes, (SELECT count(*) FROM p_replies) AS replies;
DROP TABLE p_replies, p_notes, p_events, p_orgs;

-- A table the cascade reaches that a NO ACTION key of the root references too: PostgreSQL
-- checks that key before the cascade deletes its rows, and refuses. Citus' error names no key
-- (and a local shard's would name the shard's): delete_plan marks the key that found rows,
-- instead of failing, and changes nothing.
CREATE TABLE ma (t int, id int, PRIMARY KEY (t, id));
CREATE TABLE mb (t int, id int, a_id int, PRIMARY KEY (t, id));
CREATE TABLE mc (t int, id int, b_id int, a_id int, PRIMARY KEY (t, id));
SELECT create_distributed_table('ma', 't');
SELECT create_distributed_table('mb', 't', colocate_with => 'ma');
SELECT create_distributed_table('mc', 't', colocate_with => 'ma');
ALTER TABLE mb ADD FOREIGN KEY (t, a_id) REFERENCES ma ON DELETE CASCADE;
ALTER TABLE mc ADD FOREIGN KEY (t, b_id) REFERENCES mb ON DELETE CASCADE;
ALTER TABLE mc ADD CONSTRAINT mc_a FOREIGN KEY (t, a_id) REFERENCES ma;
INSERT INTO ma VALUES (1, 1);
INSERT INTO mb VALUES (1, 1, 1);
INSERT INTO mc VALUES (1, 1, 1, 1);
\set VERBOSITY sqlstate
DELETE FROM ma WHERE t = 1 AND id = 1;
\set VERBOSITY terse
SELECT depth, path, table_name, action, "rows", blocks FROM delete_plan('ma', '{"t": 1, "id": 1}') ORDER BY depth, path;
SELECT (SELECT count(*) FROM ma) + (SELECT count(*) FROM mb) + (SELECT count(*) FROM mc) AS rows_kept;
DROP TABLE mc, mb, ma;

-- From a reference table a cascade reaches every tenant: refused; nothing changes.
ALTER TABLE members DROP CONSTRAINT members_kind;
ALTER TABLE members ADD FOREIGN KEY (kind) REFERENCES kinds ON DELETE CASCADE;
SELECT delete_with_cascade('kinds', 2);
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM delete_plan('kinds', 2);
\echo :LAST_ERROR_SQLSTATE
SELECT count(*) AS kinds FROM kinds;

DROP TABLE swatches, palettes, lone, tags, audits, tasks, members, orgs, kinds, cascade_mismatches, cascade_log;
DROP FUNCTION org_rows, keep_tagged, keep_even;
DROP TYPE shade;
DROP OWNED BY cascade_caller;
DROP ROLE cascade_caller;
DROP EXTENSION data_bridge;
