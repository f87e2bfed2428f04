-- Security: remembered call shapes are keyed by what names resolve to (OIDs) and by the role,
-- and a remembered shape validates its input as a fresh call does.
\set SHOW_CONTEXT never
\set VERBOSITY terse

-- Schema-per-tenant on one pooled connection: the same spec text under another search_path
-- reads the other tenant's table.
CREATE SCHEMA tenant_a;
CREATE SCHEMA tenant_b;
CREATE TABLE tenant_a.items (id int PRIMARY KEY, owner text);
CREATE TABLE tenant_b.items (id int PRIMARY KEY, owner text);
CREATE TABLE tenant_a.notes (id int PRIMARY KEY, item_id int REFERENCES tenant_a.items, body text);
CREATE TABLE tenant_b.notes (id int PRIMARY KEY, item_id int REFERENCES tenant_b.items, body text);
INSERT INTO tenant_a.items VALUES (1, 'a');
INSERT INTO tenant_b.items VALUES (1, 'b');
INSERT INTO tenant_a.notes VALUES (1, 1, 'note of a');
INSERT INTO tenant_b.notes VALUES (1, 1, 'note of b');
SET search_path = tenant_a, public;
SELECT fetch_with_relations('{"table": "items", "id": 1, "relations": [{"name": "notes", "table": "notes"}]}');
SELECT fetch_many_with_relations('items', '[{"name": "notes", "table": "notes"}]');
SELECT fetch_one_with_relations('items', 1, '[{"name": "notes", "table": "notes"}]');
SET search_path = tenant_b, public;
SELECT fetch_with_relations('{"table": "items", "id": 1, "relations": [{"name": "notes", "table": "notes"}]}');
SELECT fetch_many_with_relations('items', '[{"name": "notes", "table": "notes"}]');
SELECT fetch_one_with_relations('items', 1, '[{"name": "notes", "table": "notes"}]');
-- The relation only: root named by OID, relation by name.
SELECT fetch_one_with_relations('tenant_a.items', 1, '[{"name": "notes", "table": "notes"}]');
SET search_path = tenant_a, public;
SELECT fetch_one_with_relations('tenant_a.items', 1, '[{"name": "notes", "table": "notes"}]');
RESET search_path;

-- A SECURITY DEFINER function with a pinned search_path reads its own schema's table, even
-- after the caller ran the same spec against the caller's table.
CREATE ROLE shape_caller NOLOGIN;
CREATE ROLE shape_definer NOLOGIN;
CREATE SCHEMA definer_data AUTHORIZATION shape_definer;
CREATE SCHEMA caller_data AUTHORIZATION shape_caller;
GRANT USAGE ON SCHEMA public TO shape_caller, shape_definer;
SET ROLE shape_definer;
CREATE TABLE definer_data.items (id int PRIMARY KEY, owner text);
INSERT INTO definer_data.items VALUES (1, 'definer');
CREATE FUNCTION definer_data.read_items() RETURNS jsonb LANGUAGE sql SECURITY DEFINER
    SET search_path = definer_data, public
    AS $$ SELECT fetch_with_relations('{"table": "items"}') $$;
GRANT EXECUTE ON FUNCTION definer_data.read_items() TO shape_caller;
GRANT USAGE ON SCHEMA definer_data TO shape_caller;
RESET ROLE;
SET ROLE shape_caller;
CREATE TABLE caller_data.items (id int PRIMARY KEY, owner text);
INSERT INTO caller_data.items VALUES (1, 'caller');
SET search_path = caller_data, public;
SELECT fetch_with_relations('{"table": "items"}');
SELECT definer_data.read_items();
SELECT fetch_with_relations('{"table": "items"}');
RESET ROLE;
RESET search_path;

-- The same shape by a role that may not read the table: refused, even after another role's
-- call was remembered.
CREATE TABLE shape_private (id int PRIMARY KEY, secret text);
INSERT INTO shape_private VALUES (1, 's');
SELECT fetch_with_relations('{"table": "shape_private", "id": 1}');
SET ROLE shape_caller;
SELECT fetch_with_relations('{"table": "shape_private", "id": 1}');
RESET ROLE;

-- A remembered shape validates its input: an array id is refused before and after a call with a
-- scalar id.
CREATE TABLE tk (id text PRIMARY KEY);
INSERT INTO tk VALUES (''), ('x');
SELECT fetch_with_relations('{"table": "tk", "id": []}');
SELECT fetch_with_relations('{"table": "tk", "id": "x"}');
SELECT fetch_with_relations('{"table": "tk", "id": []}');
SELECT fetch_with_relations('{"table": "tk", "id": {}}');

-- A table dropped and created again under the same name is a new table.
CREATE TABLE shape_again (id int PRIMARY KEY, v text);
INSERT INTO shape_again VALUES (1, 'old');
SELECT fetch_with_relations('{"table": "shape_again", "id": 1}');
DROP TABLE shape_again;
CREATE TABLE shape_again (id int PRIMARY KEY, w int);
INSERT INTO shape_again VALUES (1, 2);
SELECT fetch_with_relations('{"table": "shape_again", "id": 1}');

-- Duplicate relation names are refused by every entry point (one jsonb key each).
CREATE TABLE dup_users (id int PRIMARY KEY);
CREATE TABLE dup_posts (id int PRIMARY KEY, author_id int REFERENCES dup_users, editor_id int REFERENCES dup_users);
INSERT INTO dup_users VALUES (1);
INSERT INTO dup_posts VALUES (1, 1, 1);
SELECT fetch_one_eager('dup_posts', 1, ARRAY[['u', 'author_id', 'dup_users'], ['u', 'editor_id', 'dup_users']]);
SELECT fetch_one_with_relations('dup_posts', 1, '[{"name": "u", "table": "dup_users", "foreign_key": "author_id"}, {"name": "u", "table": "dup_users", "foreign_key": "editor_id"}]');

DROP TABLE dup_posts, dup_users, shape_again, tk, shape_private;
DROP SCHEMA tenant_a, tenant_b CASCADE;
DROP SCHEMA definer_data, caller_data CASCADE;
DROP OWNED BY shape_caller, shape_definer;
DROP ROLE shape_caller, shape_definer;
