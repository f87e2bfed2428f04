-- insert_with_relations(): a document of rows and their related rows in one call. Many-to-one
-- rows are written (or connected) first, one-to-many and junction rows after, keys carried
-- between levels (serial, identity, uuid and composite keys); upserts; errors that name their
-- place and keep PostgreSQL's fields; all or nothing, or each top-level object on its own;
-- privileges, policies and triggers of the caller; then seeded random documents against the
-- same rows written one by one as a client would.
CREATE TABLE nw_users (id serial PRIMARY KEY, name text NOT NULL, email text UNIQUE NOT NULL);
CREATE TABLE nw_profiles (id serial PRIMARY KEY, user_id int UNIQUE REFERENCES nw_users, bio text);
CREATE TABLE nw_posts (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY, title text NOT NULL,
                       author_id int NOT NULL REFERENCES nw_users, created date DEFAULT '2026-01-01');
CREATE TABLE nw_comments (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), post_id int NOT NULL REFERENCES nw_posts,
                          author_id int REFERENCES nw_users, body text NOT NULL CHECK (body <> ''));
CREATE TABLE nw_tags (id serial PRIMARY KEY, name text UNIQUE NOT NULL, uses int NOT NULL DEFAULT 1);
CREATE TABLE nw_post_tags (post_id int REFERENCES nw_posts, tag_id int REFERENCES nw_tags,
                           PRIMARY KEY (post_id, tag_id));
INSERT INTO nw_users (name, email) VALUES ('Ann', 'ann@x'), ('Bo', 'bo@x');
INSERT INTO nw_tags (name) VALUES ('db');

-- A user with a profile (one-to-one: an object) and two posts, each with comments (one by an
-- existing user, connected by a unique key) and tags (one existing, connected; one new).
SELECT jsonb_pretty(insert_with_relations('nw_users', '{
    "name": "Cy", "email": "cy@x",
    "nw_profiles": {"bio": "hello"},
    "nw_posts": [
        {"title": "First", "comments": [{"body": "nice", "author": {"connect": {"email": "ann@x"}}}, {"body": "mine"}],
         "tags": [{"connect": {"name": "db"}}, {"name": "new"}]},
        {"title": "Second"}]}', '[
    {"name": "nw_posts", "table": "nw_posts", "relations": [
        {"name": "comments", "table": "nw_comments", "foreign_key": "post_id", "relations": [
            {"name": "author", "table": "nw_users", "foreign_key": "author_id"}]},
        {"name": "tags", "table": "nw_tags", "through": "nw_post_tags"}]}]') #- '{nw_posts,0,comments,0,id}' #- '{nw_posts,0,comments,1,id}');
-- What the tables hold: as plain SELECTs see them.
SELECT u.name, p.title, t.name AS tag FROM nw_post_tags pt JOIN nw_posts p ON p.id = pt.post_id
    JOIN nw_users u ON u.id = p.author_id JOIN nw_tags t ON t.id = pt.tag_id ORDER BY p.id, t.name;
SELECT c.body, p.title, a.name AS author FROM nw_comments c JOIN nw_posts p ON p.id = c.post_id
    LEFT JOIN nw_users a ON a.id = c.author_id ORDER BY c.body;
-- A post written with a new author (many-to-one: the author first), several at once.
SELECT insert_with_relations('nw_posts', '[{"title": "By Dee", "author": {"name": "Dee", "email": "dee@x"}},
    {"title": "By Ann", "author": {"connect": {"id": 1}}}]',
    '[{"name": "author", "table": "nw_users", "foreign_key": "author_id"}]') #- '{0,created}' #- '{1,created}';

-- A table named by a key with no foreign key to this one but exactly one junction to it:
-- many-to-many through that junction.
SELECT insert_with_relations('nw_posts', '{"title": "Inferred", "author_id": 2,
    "nw_tags": [{"connect": {"name": "db"}}, {"name": "inferred"}]}') -> 'nw_tags' AS tags;

-- Upserts: do_nothing keeps the stored row and returns it; update sets the named columns.
SELECT insert_with_relations('nw_tags', '[{"name": "db", "uses": 5}, {"name": "fresh", "uses": 5}]',
    on_conflict => '{"do_nothing": true, "constraint": "nw_tags_name_key"}');
SELECT insert_with_relations('nw_tags', '[{"name": "db", "uses": 7}]',
    on_conflict => '{"update": ["uses"], "constraint": "nw_tags_name_key"}');
-- Per level, for tags met through the junction.
SELECT insert_with_relations('nw_posts', '{"title": "Tagged", "author_id": 2, "tags": [{"name": "db", "uses": 9}, {"name": "other"}]}',
    '[{"name": "tags", "table": "nw_tags", "through": "nw_post_tags",
       "on_conflict": {"update": ["uses"], "constraint": "nw_tags_name_key"}}]') -> 'tags';
SELECT insert_with_relations('nw_tags', '{"name": "pk"}', on_conflict => '"do_nothing"');
SELECT insert_with_relations('nw_tags', '{"id": 1, "name": "pk"}', on_conflict => '"do_nothing"') ->> 'name' AS kept;

-- A table's inheritance children are other tables: an upsert's kept row and a connect are the
-- table's own, as its keys see them.
CREATE TABLE nw_parent (id int PRIMARY KEY, v text);
CREATE TABLE nw_child_table (extra int) INHERITS (nw_parent);
INSERT INTO nw_child_table VALUES (1, 'in the child', 0);
INSERT INTO nw_parent VALUES (2, 'in the parent');
SELECT insert_with_relations('nw_parent', '[{"id": 1, "v": "new"}, {"id": 2, "v": "again"}]', on_conflict => '"do_nothing"');
DROP TABLE nw_child_table, nw_parent;

-- Composite keys and a self-reference (a category tree: parents before their children).
CREATE TABLE nw_orders (tenant int, id int, note text, PRIMARY KEY (tenant, id));
CREATE TABLE nw_lines (tenant int, order_id int, line int, item text, PRIMARY KEY (tenant, order_id, line),
                       FOREIGN KEY (tenant, order_id) REFERENCES nw_orders);
SELECT insert_with_relations('nw_orders', '{"tenant": 7, "id": 1, "note": "n", "nw_lines": [{"line": 1, "item": "a"}, {"line": 2, "item": "b"}]}');
CREATE TABLE nw_categories (id serial PRIMARY KEY, name text, parent_id int REFERENCES nw_categories);
SELECT insert_with_relations('nw_categories', '{"name": "root", "children": [{"name": "a", "children": [{"name": "a1"}]}, {"name": "b"}]}',
    '[{"name": "children", "table": "nw_categories", "foreign_key": "parent_id", "direction": "one_to_many",
       "relations": [{"name": "children", "table": "nw_categories", "foreign_key": "parent_id", "direction": "one_to_many"}]}]');

-- Errors name their place (first CONTEXT line) and keep PostgreSQL's SQLSTATE and fields.
CREATE FUNCTION pg_temp.failure(call text) RETURNS TABLE (code text, message text, tbl text, col text,
    con text, place text) LANGUAGE plpgsql AS $$
DECLARE
    context text;
BEGIN
    EXECUTE call;
    code := 'no error';
    RETURN NEXT;
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS code = RETURNED_SQLSTATE, message = MESSAGE_TEXT, tbl = TABLE_NAME,
        col = COLUMN_NAME, con = CONSTRAINT_NAME, context = PG_EXCEPTION_CONTEXT;
    place := split_part(context, E'\n', 1);
    RETURN NEXT;
END $$;
SELECT * FROM pg_temp.failure($$SELECT insert_with_relations('nw_posts', '[{"title": "ok", "author_id": 1,
    "nw_comments": [{"body": "fine"}, {"body": ""}]}]')$$);
SELECT * FROM pg_temp.failure($$SELECT insert_with_relations('nw_posts', '[{"title": "ok", "author_id": 1},
    {"title": null, "author_id": 1}]')$$);
SELECT * FROM pg_temp.failure($$SELECT insert_with_relations('nw_users', '{"name": "E", "email": "ann@x"}')$$);
SELECT * FROM pg_temp.failure($$SELECT insert_with_relations('nw_posts', '{"title": "t", "author": {"connect": {"email": "nobody@x"}}}',
    '[{"name": "author", "table": "nw_users", "foreign_key": "author_id"}]')$$);
SELECT * FROM pg_temp.failure($$SELECT insert_with_relations('nw_posts', '{"title": "t", "author_id": 1, "nope": []}')$$);
-- A relation's table that is no table name: 22023 naming the place, as eager specs say.
SELECT * FROM pg_temp.failure($$SELECT insert_with_relations('nw_posts', '{"title": "t", "author_id": 1, "c": []}',
    '[{"name": "c", "table": "a.b.c.d"}]')$$);
SELECT * FROM pg_temp.failure($$SELECT insert_with_relations('nw_posts', '{"title": "t", "author_id": 1, "nw_users": {"name": "F", "email": "f@x"}}')$$);
SELECT * FROM pg_temp.failure($$SELECT insert_with_relations('nw_posts', '{"title": "t", "author_id": 1, "nw_comments": [{"body": "b", "post_id": 5}]}')$$);
SELECT * FROM pg_temp.failure($$SELECT insert_with_relations('nw_posts', '{"title": "t", "author_id": 1, "nw_comments": {"x": 1}}')$$);
SELECT * FROM pg_temp.failure($$SELECT insert_with_relations('nw_posts', '{"title": "t", "author_id": 1, "nw_comments": 3}')$$);
SELECT * FROM pg_temp.failure($$SELECT insert_with_relations('nw_tags', '{"uses": 3}', on_conflict => '{"do_nothing": true, "constraint": "nw_tags_name_key"}')$$);
SELECT * FROM pg_temp.failure($$SELECT insert_with_relations('nw_tags', '{"name": "z"}', on_conflict => '{"do_nothing": true, "constraint": "nope"}')$$);
SELECT * FROM pg_temp.failure($$SELECT insert_with_relations('nw_tags', '{"name": "z"}', on_error => 'ignore')$$);
SELECT * FROM pg_temp.failure($$SELECT insert_with_relations('nw_tags', '"z"')$$);
SELECT * FROM pg_temp.failure($$SELECT insert_with_relations('nw_posts', '{"title": "t", "author_id": 1}', '[{"name": "x", "table": "nw_tags", "filter": {}}]')$$);
SELECT * FROM pg_temp.failure($$SELECT insert_with_relations('nw_users', '{"name": "G", "email": "g@x", "nw_posts": [{"title": "t"}]}', '[{"name": "nw_posts", "table": "nw_posts", "foreign_key": "author_id", "on_conflict": "do_nothing"}]')$$);
SET data_bridge.max_rows = 3;
SELECT * FROM pg_temp.failure($$SELECT insert_with_relations('nw_users', '{"name": "H", "email": "h@x", "nw_posts": [{"title": "a"}, {"title": "b"}, {"title": "c"}]}')$$);
RESET data_bridge.max_rows;

-- All or nothing: a failure three levels down leaves no row of the call behind.
SELECT count(*) AS users_before FROM nw_users \gset
SELECT * FROM pg_temp.failure($$SELECT insert_with_relations('nw_users', '{"name": "I", "email": "i@x",
    "nw_posts": [{"title": "p", "nw_comments": [{"body": "ok"}, {"body": ""}]}]}')$$);
SELECT count(*) = :users_before AS nothing_left FROM nw_users;
-- on_error => 'skip': each top-level object in its own subtransaction, a report each.
SELECT insert_with_relations('nw_users', '[{"name": "J", "email": "j@x", "nw_posts": [{"title": "kept"}]},
    {"name": "K", "email": "k@x", "nw_posts": [{"title": null}]}]', on_error => 'skip') #- '{0,row,id}' #- '{0,row,nw_posts,0,id}' #- '{0,row,nw_posts,0,author_id}';
SELECT (SELECT count(*) FROM nw_users WHERE name IN ('J', 'K')) AS users, (SELECT count(*) FROM nw_posts WHERE title = 'kept') AS posts;

-- As the caller: privileges, row-level security WITH CHECK, and triggers.
CREATE ROLE nw_writer NOLOGIN;
GRANT SELECT, INSERT ON nw_users, nw_posts TO nw_writer;
GRANT USAGE ON SEQUENCE nw_users_id_seq TO nw_writer;
SET ROLE nw_writer;
SELECT * FROM pg_temp.failure($$SELECT insert_with_relations('nw_users', '{"name": "L", "email": "l@x", "nw_posts": [{"title": "t", "nw_comments": [{"body": "b"}]}]}')$$);
RESET ROLE;
ALTER TABLE nw_posts ENABLE ROW LEVEL SECURITY;
CREATE POLICY nw_read ON nw_posts FOR SELECT USING (true);
CREATE POLICY nw_own_titles ON nw_posts FOR INSERT WITH CHECK (title LIKE 'L%');
SET ROLE nw_writer;
SELECT * FROM pg_temp.failure($$SELECT insert_with_relations('nw_users', '{"name": "M", "email": "m@x", "nw_posts": [{"title": "Lx"}, {"title": "nope"}]}')$$);
SELECT insert_with_relations('nw_users', '{"name": "N", "email": "n@x", "nw_posts": [{"title": "Ly"}]}') -> 'nw_posts' -> 0 ->> 'title' AS title;
RESET ROLE;
ALTER TABLE nw_posts DISABLE ROW LEVEL SECURITY;
DROP POLICY nw_read ON nw_posts;
DROP POLICY nw_own_titles ON nw_posts;
REVOKE ALL ON nw_users, nw_posts FROM nw_writer;
REVOKE ALL ON SEQUENCE nw_users_id_seq FROM nw_writer;
DROP ROLE nw_writer;
CREATE FUNCTION nw_shout() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.body := upper(NEW.body);
    RETURN NEW;
END $$;
CREATE TRIGGER nw_shout BEFORE INSERT ON nw_comments FOR EACH ROW EXECUTE FUNCTION nw_shout();
SELECT insert_with_relations('nw_posts', '{"title": "Loud", "author_id": 2, "nw_comments": [{"body": "quiet"}]}') -> 'nw_comments' -> 0 ->> 'body' AS stored_body;
DROP TRIGGER nw_shout ON nw_comments;
DROP FUNCTION nw_shout();

-- Seeded random documents: parents with children (a CHECK that some violate), grandchildren
-- with composite keys, and tags through a junction (new ones, and connections to existing
-- ones); written by insert_with_relations, and by a client-style loop (one INSERT ... RETURNING
-- per row, in the order the keys require) in a subtransaction each; the tables must end equal.
CREATE TABLE rw_parent (id serial PRIMARY KEY, name text NOT NULL);
CREATE TABLE rw_child (id int GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, parent_id int NOT NULL REFERENCES rw_parent,
                       v int NOT NULL CHECK (v >= 0));
CREATE TABLE rw_grand (child_id int REFERENCES rw_child, n int, note text, PRIMARY KEY (child_id, n));
CREATE TABLE rw_tag (id serial PRIMARY KEY, label text UNIQUE NOT NULL);
CREATE TABLE rw_parent_tag (parent_id int REFERENCES rw_parent, tag_id int REFERENCES rw_tag);
CREATE FUNCTION rw_contents() RETURNS jsonb LANGUAGE sql AS $$
    SELECT jsonb_build_object(
        'parents', (SELECT coalesce(jsonb_agg(jsonb_build_object('name', p.name,
            'children', (SELECT coalesce(jsonb_agg(jsonb_build_object('v', c.v,
                 'grand', (SELECT coalesce(jsonb_agg(jsonb_build_object('n', g.n, 'note', g.note) ORDER BY g.n), '[]')
                           FROM rw_grand g WHERE g.child_id = c.id)) ORDER BY c.v, c.id), '[]')
                         FROM rw_child c WHERE c.parent_id = p.id),
            'tags', (SELECT coalesce(jsonb_agg(t.label ORDER BY t.label), '[]')
                     FROM rw_parent_tag pt JOIN rw_tag t ON t.id = pt.tag_id WHERE pt.parent_id = p.id))
            ORDER BY p.name), '[]') FROM rw_parent p),
        'tags', (SELECT coalesce(jsonb_agg(label ORDER BY label), '[]') FROM rw_tag))
$$;
-- The client: one statement per row, parents before children.
CREATE FUNCTION rw_client_write(doc jsonb) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    parent_id int;
    child_id int;
    tag_id int;
    child jsonb;
    grand jsonb;
    tag jsonb;
BEGIN
    INSERT INTO rw_parent (name) VALUES (doc ->> 'name') RETURNING id INTO parent_id;
    FOR child IN SELECT * FROM jsonb_array_elements(coalesce(doc -> 'rw_child', '[]')) LOOP
        INSERT INTO rw_child (parent_id, v) VALUES (parent_id, (child ->> 'v')::int) RETURNING id INTO child_id;
        FOR grand IN SELECT * FROM jsonb_array_elements(coalesce(child -> 'rw_grand', '[]')) LOOP
            INSERT INTO rw_grand (child_id, n, note) VALUES (child_id, (grand ->> 'n')::int, grand ->> 'note');
        END LOOP;
    END LOOP;
    FOR tag IN SELECT * FROM jsonb_array_elements(coalesce(doc -> 'tags', '[]')) LOOP
        IF tag ? 'connect' THEN
            SELECT id INTO STRICT tag_id FROM rw_tag WHERE label = tag -> 'connect' ->> 'label';
        ELSE
            INSERT INTO rw_tag (label) VALUES (tag ->> 'label') RETURNING id INTO tag_id;
        END IF;
        INSERT INTO rw_parent_tag VALUES (parent_id, tag_id);
    END LOOP;
END $$;
SELECT setseed(0.19);
CREATE TABLE rw_docs (round int, doc jsonb);
INSERT INTO rw_docs
SELECT r, jsonb_build_object('name', 'p' || r || '-' || k,
    'rw_child', (SELECT coalesce(jsonb_agg(jsonb_build_object('v', CASE WHEN random() < 0.03 THEN -1 ELSE floor(random() * 50)::int END,
        'rw_grand', (SELECT coalesce(jsonb_agg(jsonb_build_object('n', n, 'note', md5(random()::text))), '[]')
                     FROM generate_series(1, floor(random() * 3)::int + 0 * c) n))), '[]')
                 FROM generate_series(1, floor(random() * 4)::int + 0 * k) c),
    'tags', (SELECT coalesce(jsonb_agg(CASE WHEN t = 1 THEN jsonb_build_object('connect', jsonb_build_object('label', 'base'))
                                            ELSE jsonb_build_object('label', 't' || r || '-' || k || '-' || t) END), '[]')
             FROM generate_series(1, floor(random() * 3)::int + 0 * k) t))
FROM generate_series(1, 25) r, generate_series(1, 1 + floor(random() * 4)::int) k;
CREATE TABLE rw_mismatches (round int, mode text, got jsonb, expected jsonb);
DO $$
DECLARE
    round_docs jsonb;
    got jsonb;
    expected jsonb;
    mode text;
BEGIN
    FOR r IN 1 .. 25 LOOP
        round_docs := (SELECT jsonb_agg(doc) FROM rw_docs WHERE round = r);
        mode := CASE WHEN r % 2 = 0 THEN 'raise' ELSE 'skip' END;
        -- data_bridge
        TRUNCATE rw_parent_tag, rw_grand, rw_child, rw_parent, rw_tag RESTART IDENTITY;
        INSERT INTO rw_tag (label) VALUES ('base');
        BEGIN
            PERFORM insert_with_relations('rw_parent', round_docs, '[{"name": "tags", "table": "rw_tag", "through": "rw_parent_tag"}]',
                                          on_error => mode);
        EXCEPTION WHEN check_violation THEN
            NULL;  -- all or nothing: nothing of the round stays
        END;
        got := rw_contents();
        -- the client: all or nothing in raise mode, each document on its own in skip mode
        TRUNCATE rw_parent_tag, rw_grand, rw_child, rw_parent, rw_tag RESTART IDENTITY;
        INSERT INTO rw_tag (label) VALUES ('base');
        IF mode = 'raise' THEN
            BEGIN
                PERFORM rw_client_write(d) FROM jsonb_array_elements(round_docs) d;
            EXCEPTION WHEN check_violation THEN
                NULL;
            END;
        ELSE
            DECLARE
                d jsonb;
            BEGIN
                FOR d IN SELECT * FROM jsonb_array_elements(round_docs) LOOP
                    BEGIN
                        PERFORM rw_client_write(d);
                    EXCEPTION WHEN check_violation THEN
                        NULL;
                    END;
                END LOOP;
            END;
        END IF;
        expected := rw_contents();
        IF got IS DISTINCT FROM expected THEN
            INSERT INTO rw_mismatches VALUES (r, mode, got, expected);
        END IF;
    END LOOP;
END $$;
SELECT count(*) AS mismatches FROM rw_mismatches;
SELECT * FROM rw_mismatches LIMIT 2;
-- The rounds wrote many different documents, and some failed.
SELECT count(*) > 40 AS many_documents, count(DISTINCT doc -> 'rw_child') > 20 AS varied,
       count(*) FILTER (WHERE doc::text LIKE '%"v": -1%') > 0 AS some_fail FROM rw_docs;

DROP TABLE rw_mismatches, rw_docs, rw_parent_tag, rw_grand, rw_child, rw_parent, rw_tag;
DROP FUNCTION rw_contents(), rw_client_write(jsonb);
DROP TABLE nw_post_tags, nw_tags, nw_comments, nw_posts, nw_profiles, nw_users, nw_lines, nw_orders, nw_categories;

-- on_conflict finds each written row again by its conflict key as stored. A BEFORE INSERT
-- trigger that changes the key (here: lower case) would leave a written row matching no object:
-- refused (0A000) before any child is attached, rather than returning NULL or another row with
-- the object's key. An object whose key the trigger leaves alone is written as usual.
CREATE TABLE tk_tags (id serial PRIMARY KEY, name text UNIQUE);
CREATE TABLE tk_items (id serial PRIMARY KEY, tag_id int REFERENCES tk_tags, note text);
INSERT INTO tk_tags (name) VALUES ('Legacy');
CREATE FUNCTION tk_lower() RETURNS trigger LANGUAGE plpgsql
    AS $$ BEGIN NEW.name := lower(NEW.name); RETURN NEW; END $$;
CREATE TRIGGER tk_lower BEFORE INSERT ON tk_tags FOR EACH ROW EXECUTE FUNCTION tk_lower();
SELECT insert_with_relations('tk_tags', '{"name": "Legacy", "items": [{"note": "child"}]}',
    '[{"name": "items", "table": "tk_items"}]',
    '{"do_nothing": true, "constraint": "tk_tags_name_key"}');
\echo :LAST_ERROR_SQLSTATE
SELECT insert_with_relations('tk_tags', '[{"name": "Design"}]', '[]',
    '{"do_nothing": true, "constraint": "tk_tags_name_key"}');
SELECT insert_with_relations('tk_tags', '{"name": "plain", "items": [{"note": "kept"}]}',
    '[{"name": "items", "table": "tk_items"}]',
    '{"do_nothing": true, "constraint": "tk_tags_name_key"}') #- '{id}' #- '{items,0,id}'
    #- '{items,0,tag_id}' AS written;
SELECT t.name, i.note FROM tk_tags t LEFT JOIN tk_items i ON i.tag_id = t.id ORDER BY t.id;
-- A NULL conflict key is refused (22023): no row written or already there could be found
-- again by it (NULL = NULL is not true).
DROP TRIGGER tk_lower ON tk_tags;
SELECT insert_with_relations('tk_tags', '[{"name": "x"}, {"name": null}]', '[]',
    '{"do_nothing": true, "constraint": "tk_tags_name_key"}');
\echo :LAST_ERROR_SQLSTATE
DROP TABLE tk_items, tk_tags;
DROP FUNCTION tk_lower();
-- A floating-point key is carried to the related rows as the stored row renders it: under
-- extra_float_digits below 1 to_jsonb rounds it (0.30000000000000004 to 0.3), which would attach
-- the children to another row or to none. Refused (0A000, naming the key column) before anything
-- is written; under the default every digit is kept and each child finds its own parent.
CREATE TABLE fk_float_parents (id float8 PRIMARY KEY, name text);
CREATE TABLE fk_float_children (id serial PRIMARY KEY, parent float8 REFERENCES fk_float_parents,
                                note text);
INSERT INTO fk_float_parents VALUES (0.3, 'a');
SET extra_float_digits = 0;
CREATE FUNCTION pg_temp.refusal(statement text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE state text; tbl text; col text; message text;
BEGIN
    EXECUTE statement;
    RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, tbl = TABLE_NAME, col = COLUMN_NAME,
        message = MESSAGE_TEXT;
    RETURN format('%s %s.%s: %s', state, tbl, col, message);
END $$;
SELECT pg_temp.refusal($$SELECT insert_with_relations('fk_float_parents',
    '{"id": 0.30000000000000004, "name": "b", "kids": [{"note": "to b"}]}',
    '[{"name": "kids", "table": "fk_float_children"}]')$$);
SELECT pg_temp.refusal($$SELECT insert_with_relations('fk_float_children',
    '{"note": "x", "up": {"id": 0.7, "name": "c"}}', '[{"name": "up", "table": "fk_float_parents"}]')$$);
-- A composite or range key holding a float is rounded alike: refused too.
CREATE TYPE fk_float_pair AS (x float8, y int);
CREATE TABLE fk_pair_parents (id fk_float_pair PRIMARY KEY, name text);
CREATE TABLE fk_pair_children (id serial PRIMARY KEY, parent fk_float_pair REFERENCES fk_pair_parents);
SELECT pg_temp.refusal($$SELECT insert_with_relations('fk_pair_parents',
    '{"id": {"x": 0.30000000000000004, "y": 1}, "kids": [{}]}', '[{"name": "kids", "table": "fk_pair_children"}]')$$);
DROP TABLE fk_pair_children, fk_pair_parents;
DROP TYPE fk_float_pair;
-- So is a key of a type not known to hold no float: cube's numbers follow extra_float_digits.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS cube;
RESET client_min_messages;
CREATE TABLE fk_cube_parents (k cube PRIMARY KEY, name text);
CREATE TABLE fk_cube_children (id serial PRIMARY KEY, k cube REFERENCES fk_cube_parents);
SELECT pg_temp.refusal($$SELECT insert_with_relations('fk_cube_parents',
    '{"k": "(0.30000000000000004)", "kids": [{}]}', '[{"name": "kids", "table": "fk_cube_children"}]')$$);
DROP TABLE fk_cube_children, fk_cube_parents;
DROP EXTENSION cube;
RESET extra_float_digits;
-- A trigger of the write that lowers extra_float_digits: checked again as the key is carried.
CREATE FUNCTION pg_temp.fewer_digits() RETURNS trigger LANGUAGE plpgsql
    AS $$ BEGIN PERFORM set_config('extra_float_digits', '0', true); RETURN NEW; END $$;
CREATE TRIGGER fewer_digits BEFORE INSERT ON fk_float_parents FOR EACH ROW EXECUTE FUNCTION pg_temp.fewer_digits();
BEGIN;
SELECT pg_temp.refusal($$SELECT insert_with_relations('fk_float_parents',
    '{"id": 0.30000000000000004, "name": "b", "kids": [{"note": "to b"}]}',
    '[{"name": "kids", "table": "fk_float_children"}]')$$);
ROLLBACK;
DROP TRIGGER fewer_digits ON fk_float_parents;
SET extra_float_digits = 0;
-- Without a relation to fill, nothing is carried: written as usual.
SELECT insert_with_relations('fk_float_parents', '{"id": 0.5, "name": "d"}');
RESET extra_float_digits;
SELECT insert_with_relations('fk_float_parents',
    '{"id": 0.30000000000000004, "name": "b", "kids": [{"note": "to b"}]}',
    '[{"name": "kids", "table": "fk_float_children"}]') #- '{kids,0,id}';
SELECT p.name, c.note FROM fk_float_children c JOIN fk_float_parents p ON p.id = c.parent;
DROP TABLE fk_float_children, fk_float_parents;
-- A UNIQUE NULLS NOT DISTINCT constraint conflicts on NULL too: on_conflict takes NULL key
-- values there and finds the row again by them, written or already there (the same rows as the
-- plain INSERT … ON CONFLICT), with the children attached to it.
CREATE TABLE nn_slots (id serial PRIMARY KEY, room text, day int, label text,
                       CONSTRAINT nn_slots_room_day UNIQUE NULLS NOT DISTINCT (room, day));
CREATE TABLE nn_bookings (id serial PRIMARY KEY, slot_id int REFERENCES nn_slots, who text);
INSERT INTO nn_slots (room, day, label) VALUES ('a', NULL, 'a, any day');
SELECT insert_with_relations('nn_slots',
    '[{"room": "a", "day": null, "label": "kept?", "bookings": [{"who": "ann"}]},
      {"room": null, "day": 2, "label": "new", "bookings": [{"who": "bob"}]}]',
    '[{"name": "bookings", "table": "nn_bookings"}]',
    '{"do_nothing": true, "constraint": "nn_slots_room_day"}') #- '{0,id}' #- '{1,id}'
    #- '{0,bookings,0,id}' #- '{1,bookings,0,id}' #- '{0,bookings,0,slot_id}' #- '{1,bookings,0,slot_id}' AS written;
SELECT insert_with_relations('nn_slots', '{"room": null, "day": 2, "label": "updated"}', '[]',
    '{"update": ["label"], "constraint": "nn_slots_room_day"}') #- '{id}' AS updated;
SELECT s.room, s.day, s.label, b.who FROM nn_slots s LEFT JOIN nn_bookings b ON b.slot_id = s.id
ORDER BY s.id, b.id;
-- The plain statement agrees: the same two rows conflict.
INSERT INTO nn_slots (room, day, label) VALUES ('a', NULL, 'x'), (NULL, 2, 'y')
ON CONFLICT ON CONSTRAINT nn_slots_room_day DO NOTHING;
SELECT count(*) AS slots FROM nn_slots;
-- Under a plain UNIQUE (NULLs distinct) a NULL key stays refused (22023).
ALTER TABLE nn_slots DROP CONSTRAINT nn_slots_room_day;
ALTER TABLE nn_slots ADD CONSTRAINT nn_slots_room_day UNIQUE (room, day);
SELECT insert_with_relations('nn_slots', '{"room": "a", "day": null}', '[]',
    '{"do_nothing": true, "constraint": "nn_slots_room_day"}');
\echo :LAST_ERROR_SQLSTATE
DROP TABLE nn_bookings, nn_slots;
-- A row of NULLs is not SQL NULL to a NULLS NOT DISTINCT index: each finds its own row.
CREATE TYPE nn_key AS (room text, day int);
CREATE TABLE nn_rows (id serial PRIMARY KEY, k nn_key, label text,
                      CONSTRAINT nn_rows_k UNIQUE NULLS NOT DISTINCT (k));
CREATE TABLE nn_row_bookings (id serial PRIMARY KEY, row_id int REFERENCES nn_rows, who text);
INSERT INTO nn_rows (k, label) VALUES (ROW(NULL, NULL), 'row of nulls'), (NULL, 'sql null');
SELECT insert_with_relations('nn_rows', '[{"k": {"room": null, "day": null}, "bookings": [{"who": "bob"}]},
    {"k": null, "bookings": [{"who": "ann"}]}]', '[{"name": "bookings", "table": "nn_row_bookings"}]',
    '{"do_nothing": true, "constraint": "nn_rows_k"}') #- '{0,bookings}' #- '{1,bookings}' AS found;
SELECT r.label, b.who FROM nn_row_bookings b JOIN nn_rows r ON r.id = b.row_id ORDER BY b.id;
DROP TABLE nn_row_bookings, nn_rows;
DROP TYPE nn_key;
-- A BEFORE trigger that changes a written row's conflict key to another object's: each object
-- is then written by a statement of its own, and the changed key is refused (0A000) rather
-- than the rows taken for each other's; a trigger that leaves the key alone writes as usual.
CREATE TABLE sw_parents (id int PRIMARY KEY, v text);
CREATE TABLE sw_kids (id serial PRIMARY KEY, parent_id int REFERENCES sw_parents, v text);
CREATE FUNCTION sw_swap() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.id := 3 - NEW.id; RETURN NEW; END $$;
CREATE TRIGGER sw_swap BEFORE INSERT ON sw_parents FOR EACH ROW EXECUTE FUNCTION sw_swap();
SELECT insert_with_relations('sw_parents', '[{"id": 1, "v": "one", "kids": [{"v": "of one"}]},
    {"id": 2, "v": "two", "kids": [{"v": "of two"}]}]', '[{"name": "kids", "table": "sw_kids"}]', '"do_nothing"');
\echo :LAST_ERROR_SQLSTATE
DROP TRIGGER sw_swap ON sw_parents;
CREATE FUNCTION sw_mark() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.v := NEW.v || '!'; RETURN NEW; END $$;
CREATE TRIGGER sw_mark BEFORE INSERT ON sw_parents FOR EACH ROW EXECUTE FUNCTION sw_mark();
SELECT insert_with_relations('sw_parents', '[{"id": 1, "v": "one", "kids": [{"v": "of one"}]},
    {"id": 2, "v": "two", "kids": [{"v": "of two"}]}]', '[{"name": "kids", "table": "sw_kids"}]', '"do_nothing"')
    #- '{0,kids,0,id}' #- '{1,kids,0,id}' AS marked;
SELECT p.v, k.v FROM sw_kids k JOIN sw_parents p ON p.id = k.parent_id ORDER BY k.id;
DROP TABLE sw_kids, sw_parents;
DROP FUNCTION sw_swap();
DROP FUNCTION sw_mark();
-- A key the related rows need that is NULL in the stored row (a unique column left NULL, or a
-- part of a composite key) would link them to nothing while the tree showed them linked:
-- refused (0A000) in each direction.
CREATE TABLE nk_codes (id serial PRIMARY KEY, code text UNIQUE, name text);
CREATE TABLE nk_uses (id serial PRIMARY KEY, code text REFERENCES nk_codes (code), note text);
SELECT insert_with_relations('nk_codes', '{"name": "no code", "uses": [{"note": "orphan?"}]}',
    '[{"name": "uses", "table": "nk_uses"}]');
\echo :LAST_ERROR_SQLSTATE
SELECT insert_with_relations('nk_uses', '{"note": "x", "of": {"name": "no code"}}',
    '[{"name": "of", "table": "nk_codes"}]');
\echo :LAST_ERROR_SQLSTATE
SELECT insert_with_relations('nk_codes', '{"code": "c1", "uses": [{"note": "linked"}]}',
    '[{"name": "uses", "table": "nk_uses"}]') #- '{id}' #- '{uses,0,id}' AS linked;
SELECT count(*) AS rows_written FROM nk_uses;
DROP TABLE nk_uses, nk_codes;
-- Multi-tenant composite keys share the tenant column: an order's lines reference the order by
-- (tenant, order) and a product by (tenant, product). The tenant may be given on a line and
-- filled by both keys with the same value; a different value is refused (22023).
CREATE TABLE mt_orders (tenant int, id int, PRIMARY KEY (tenant, id));
CREATE TABLE mt_products (tenant int, id int, name text, PRIMARY KEY (tenant, id));
CREATE TABLE mt_lines (tenant int, id serial, order_id int, product_id int, qty int, PRIMARY KEY (tenant, id),
    FOREIGN KEY (tenant, order_id) REFERENCES mt_orders, FOREIGN KEY (tenant, product_id) REFERENCES mt_products);
INSERT INTO mt_products VALUES (1, 7, 'tea'), (2, 7, 'other tenant''s tea');
SELECT insert_with_relations('mt_orders', '{"tenant": 1, "id": 5, "lines": [
        {"qty": 2, "product": {"connect": {"tenant": 1, "id": 7}}},
        {"tenant": 1, "qty": 3, "product": {"connect": {"tenant": 1, "id": 7}}}]}',
    '[{"name": "lines", "table": "mt_lines", "relations": [{"name": "product", "table": "mt_products"}]}]')
    #- '{lines,0,id}' #- '{lines,1,id}' AS written;
SELECT insert_with_relations('mt_orders', '{"tenant": 1, "id": 6, "lines": [
        {"qty": 2, "product": {"connect": {"tenant": 2, "id": 7}}}]}',
    '[{"name": "lines", "table": "mt_lines", "relations": [{"name": "product", "table": "mt_products"}]}]');
\echo :LAST_ERROR_SQLSTATE
SELECT insert_with_relations('mt_orders', '{"tenant": 1, "id": 6, "lines": [{"tenant": 2, "qty": 1}]}',
    '[{"name": "lines", "table": "mt_lines"}]');
\echo :LAST_ERROR_SQLSTATE
-- The same value written otherwise (a client sending ids as strings) is the same value of the
-- column's type.
SELECT insert_with_relations('mt_orders', '{"tenant": 1, "id": 7, "lines": [{"tenant": "1", "qty": 4,
        "product": {"connect": {"tenant": 1, "id": 7}}}]}',
    '[{"name": "lines", "table": "mt_lines", "relations": [{"name": "product", "table": "mt_products"}]}]')
    #> '{lines,0,tenant}' AS tenant_as_text;
DROP TABLE mt_lines, mt_products, mt_orders;
-- A many-to-one relation given as null writes a NULL foreign key (not the column's default,
-- which the returned tree would not show); the key given as another value too is refused.
CREATE TABLE nl_cats (id int PRIMARY KEY);
INSERT INTO nl_cats VALUES (1), (2);
CREATE TABLE nl_items (id serial PRIMARY KEY, t text, cat_id int DEFAULT 1 REFERENCES nl_cats);
SELECT insert_with_relations('nl_items', '{"t": "none", "cat": null}', '[{"name": "cat", "table": "nl_cats"}]') AS no_cat;
SELECT insert_with_relations('nl_items', '{"t": "x", "cat": null, "cat_id": 2}', '[{"name": "cat", "table": "nl_cats"}]');
\echo :LAST_ERROR_SQLSTATE
SELECT t, cat_id FROM nl_items ORDER BY id;
DROP TABLE nl_items, nl_cats;
-- An exclusion constraint conflicts on something else than its key's equality: the row already
-- there could not be found again, so on_conflict refuses it (0A000).
CREATE TABLE ex_bookings (id serial PRIMARY KEY, during int4range, EXCLUDE USING gist (during WITH &&));
SELECT insert_with_relations('ex_bookings', '{"during": "[1,5)"}', '[]',
    '{"do_nothing": true, "constraint": "ex_bookings_during_excl"}');
\echo :LAST_ERROR_SQLSTATE
DROP TABLE ex_bookings;
-- A one-to-one relation (its foreign key one unique column) comes back as a fetch shapes it:
-- its row or null, whether given as an object, an array of one, an empty array or null.
CREATE TABLE oo_accounts (id serial PRIMARY KEY, name text);
CREATE TABLE oo_profiles (id serial PRIMARY KEY, account_id int UNIQUE REFERENCES oo_accounts, bio text);
CREATE TEMP TABLE oo_written AS SELECT insert_with_relations('oo_accounts', '[{"name": "a", "profile": null},
    {"name": "b", "profile": {"bio": "x"}}, {"name": "c", "profile": [{"bio": "y"}]}, {"name": "d", "profile": []}]',
    '[{"name": "profile", "table": "oo_profiles"}]') AS tree;
SELECT jsonb_path_query_array(tree, '$[*].profile.bio') AS bios,
       tree = fetch_with_relations('{"table": "oo_accounts", "relations": [{"name": "profile", "table": "oo_profiles"}]}')
       AS shaped_as_fetched FROM oo_written;
DROP TABLE oo_written;
DROP TABLE oo_profiles, oo_accounts;
-- A parent a trigger keeps out, with an empty list of children: nothing needs its key.
CREATE TABLE ko_parents (id serial PRIMARY KEY, v text);
CREATE TABLE ko_kids (id serial PRIMARY KEY, parent_id int REFERENCES ko_parents);
CREATE FUNCTION ko_skip() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;
CREATE TRIGGER ko_skip BEFORE INSERT ON ko_parents FOR EACH ROW EXECUTE FUNCTION ko_skip();
SELECT insert_with_relations('ko_parents', '{"v": "x", "kids": []}', '[{"name": "kids", "table": "ko_kids"}]') AS kept_out;
SELECT insert_with_relations('ko_parents', '{"v": "x", "kids": [{}]}', '[{"name": "kids", "table": "ko_kids"}]');
\echo :LAST_ERROR_SQLSTATE
DROP TABLE ko_kids, ko_parents;
DROP FUNCTION ko_skip();
-- A null many-to-one in a multi-tenant schema: only the key's own column is written NULL, the
-- tenant column (given, or filled by another relation) keeps its value (MATCH SIMPLE: no
-- reference).
CREATE TABLE mn_tenants (id bigint PRIMARY KEY);
CREATE TABLE mn_projects (tenant_id bigint REFERENCES mn_tenants, id int, PRIMARY KEY (tenant_id, id));
CREATE TABLE mn_users (tenant_id bigint REFERENCES mn_tenants, id int, PRIMARY KEY (tenant_id, id));
CREATE TABLE mn_tasks (tenant_id bigint NOT NULL REFERENCES mn_tenants, id serial, title text, project_id int,
    assignee_id int, PRIMARY KEY (tenant_id, id), FOREIGN KEY (tenant_id, project_id) REFERENCES mn_projects,
    FOREIGN KEY (tenant_id, assignee_id) REFERENCES mn_users);
INSERT INTO mn_tenants VALUES (1);
INSERT INTO mn_projects VALUES (1, 10);
INSERT INTO mn_users VALUES (1, 20);
SELECT insert_with_relations('mn_tasks', '{"tenant_id": 1, "title": "d", "assignee": null}',
    '[{"name": "assignee", "table": "mn_users"}]') #- '{id}' AS given_tenant;
SELECT insert_with_relations('mn_tasks', '{"title": "c", "project": {"connect": {"tenant_id": 1, "id": 10}}, "assignee": null}',
    '[{"name": "project", "table": "mn_projects"}, {"name": "assignee", "table": "mn_users"}]') #- '{id}' AS filled_tenant;
SELECT title, tenant_id, project_id, assignee_id FROM mn_tasks ORDER BY id;
DROP TABLE mn_tasks, mn_users, mn_projects, mn_tenants;
-- Written one by one (a BEFORE trigger), an update of the same row twice is refused as the one
-- statement refuses it (21000), with or without the trigger.
CREATE TABLE tw_rows (id int PRIMARY KEY, v text, updated_at timestamptz);
SELECT insert_with_relations('tw_rows', '[{"id": 1, "v": "a"}, {"id": 1, "v": "b"}]', '[]', '{"update": ["v"]}');
\echo :LAST_ERROR_SQLSTATE
CREATE FUNCTION tw_touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.updated_at := now(); RETURN NEW; END $$;
CREATE TRIGGER tw_touch BEFORE INSERT OR UPDATE ON tw_rows FOR EACH ROW EXECUTE FUNCTION tw_touch();
SELECT insert_with_relations('tw_rows', '[{"id": 1, "v": "a"}, {"id": 1, "v": "b"}]', '[]', '{"update": ["v"]}');
\echo :LAST_ERROR_SQLSTATE
SELECT insert_with_relations('tw_rows', '[{"id": 1, "v": "a"}, {"id": 2, "v": "b"}, {"id": 1, "v": "c"}]', '[]',
    '"do_nothing"') #- '{0,updated_at}' #- '{1,updated_at}' #- '{2,updated_at}' AS kept_once;
DROP TABLE tw_rows;
DROP FUNCTION tw_touch();
-- A null many-to-one whose key shares a column with another key (the tenant, with a default):
-- only its own column is nulled, the shared one takes its default.
CREATE TABLE dn_tenants (id bigint PRIMARY KEY);
CREATE TABLE dn_users (tenant_id bigint REFERENCES dn_tenants, id int, PRIMARY KEY (tenant_id, id));
CREATE TABLE dn_tasks (tenant_id bigint NOT NULL DEFAULT 1 REFERENCES dn_tenants, id serial, title text, assignee_id int,
    PRIMARY KEY (tenant_id, id), FOREIGN KEY (tenant_id, assignee_id) REFERENCES dn_users);
INSERT INTO dn_tenants VALUES (1);
SELECT insert_with_relations('dn_tasks', '{"title": "x", "assignee": null}', '[{"name": "assignee", "table": "dn_users"}]')
    #- '{id}' AS defaulted_tenant;
DROP TABLE dn_tasks, dn_users, dn_tenants;
-- A row updated twice across statements (objects of two column sets) is refused as within one.
CREATE TABLE cg_rows (id int PRIMARY KEY, v text, w text);
SELECT insert_with_relations('cg_rows', '[{"id": 1, "v": "a"}, {"id": 1, "w": "b"}]', '[]', '{"update": ["v"]}');
\echo :LAST_ERROR_SQLSTATE
DROP TABLE cg_rows;
-- The tenant column in the primary key and in one composite foreign key, with a default: a
-- null relation nulls only the key's own column, the tenant takes its default; giving the own
-- column a value under a null relation is refused (22023): the row would reference a row.
SET app.tenant = '1';
CREATE TABLE dt_users (tenant_id bigint NOT NULL DEFAULT current_setting('app.tenant')::bigint,
    id bigint GENERATED ALWAYS AS IDENTITY, email text, PRIMARY KEY (tenant_id, id));
CREATE TABLE dt_posts (tenant_id bigint NOT NULL DEFAULT current_setting('app.tenant')::bigint,
    id bigint GENERATED BY DEFAULT AS IDENTITY, author_id bigint, slug text,
    PRIMARY KEY (tenant_id, id), FOREIGN KEY (tenant_id, author_id) REFERENCES dt_users (tenant_id, id));
SELECT insert_with_relations('dt_posts', '{"slug": "a", "author": null}', '[{"name": "author", "table": "dt_users"}]')
    #- '{id}' AS tenant_defaulted;
SELECT insert_with_relations('dt_posts', '{"slug": "b", "author_id": 999, "author": null}',
    '[{"name": "author", "table": "dt_users"}]');
\echo :LAST_ERROR_SQLSTATE
-- A unique composite foreign key is not one-to-one to a fetch (one unique column is): the
-- written tree has the fetch's array.
CREATE TABLE dt_profiles (tenant_id bigint, id serial, user_id bigint NOT NULL, bio text, PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, user_id), FOREIGN KEY (tenant_id, user_id) REFERENCES dt_users (tenant_id, id));
CREATE TEMP TABLE dt_written AS SELECT insert_with_relations('dt_users', '{"email": "e", "profiles": {"bio": "hi"}}',
    '[{"name": "profiles", "table": "dt_profiles"}]') AS tree;
SELECT tree -> 'profiles' = fetch_with_relations(jsonb_build_object('table', 'dt_users', 'id',
           jsonb_build_object('tenant_id', 1, 'id', tree -> 'id'),
           'relations', '[{"name": "profiles", "table": "dt_profiles"}]'::jsonb)) -> 'profiles' AS shaped_as_fetched,
       jsonb_typeof(tree -> 'profiles') AS kind
FROM dt_written;
DROP TABLE dt_written;
DROP TABLE dt_profiles, dt_posts, dt_users;
RESET app.tenant;
-- The tenant column NOT NULL with a default and in one foreign key only, or every key column
-- in another key too: a null relation nulls only columns that can be NULL, the tenant keeps
-- its default (a plain INSERT of the other columns stores the same).
SET app.tenant = '1';
CREATE TABLE nt_tenants (id int PRIMARY KEY);
INSERT INTO nt_tenants VALUES (1);
CREATE TABLE nt_users (tenant_id int REFERENCES nt_tenants, id int, PRIMARY KEY (tenant_id, id));
CREATE TABLE nt_notes (id serial PRIMARY KEY, tenant_id int NOT NULL DEFAULT current_setting('app.tenant')::int,
    author_id int, body text, FOREIGN KEY (tenant_id, author_id) REFERENCES nt_users (tenant_id, id));
SELECT insert_with_relations('nt_notes', '{"body": "x", "author": null}',
    '[{"name": "author", "table": "nt_users"}]') #- '{id}' AS tenant_kept;
CREATE TABLE nt_accounts (id int PRIMARY KEY);
CREATE TABLE nt_members (tenant_id int REFERENCES nt_tenants, account_id int REFERENCES nt_accounts,
    PRIMARY KEY (tenant_id, account_id));
CREATE TABLE nt_tasks (tenant_id int NOT NULL DEFAULT current_setting('app.tenant')::int, id serial, title text,
    assignee_id int, PRIMARY KEY (tenant_id, id),
    CONSTRAINT nt_tasks_member FOREIGN KEY (tenant_id, assignee_id) REFERENCES nt_members (tenant_id, account_id),
    FOREIGN KEY (assignee_id) REFERENCES nt_accounts (id));
SELECT insert_with_relations('nt_tasks', '{"title": "x", "assignee": null}',
    '[{"name": "assignee", "table": "nt_members", "foreign_key": "nt_tasks_member"}]') #- '{id}' AS all_shared;
DROP TABLE nt_tasks, nt_members, nt_accounts, nt_notes, nt_users, nt_tenants;
RESET app.tenant;
-- Rows told apart by a float key rendered rounded (extra_float_digits 0) are not taken for one
-- row updated twice: two rows, as the plain INSERT ... ON CONFLICT writes.
CREATE TABLE fu_rows (id serial PRIMARY KEY, x float8 UNIQUE, note text);
SET extra_float_digits = 0;
SELECT jsonb_array_length(insert_with_relations('fu_rows', '[{"x": 0.1, "note": "m"}, {"x": 0.10000000000000002, "note": "n"}]',
    '[]', '{"update": ["note"], "constraint": "fu_rows_x_key"}')) AS written;
RESET extra_float_digits;
SELECT count(*) AS rows FROM fu_rows;
DROP TABLE fu_rows;
-- Which key column a null relation nulls: one of those the object leaves out that can be NULL,
-- of no other key, without a default first (a nullable tenant with a default keeps it); a NOT
-- NULL domain counts as NOT NULL; a key none of whose columns can be NULL is refused (22023)
-- rather than filled by a default that references a row.
SET app.tenant = '1';
CREATE DOMAIN nc_tenant AS int NOT NULL DEFAULT current_setting('app.tenant')::int;
CREATE TABLE nc_users (tenant_id int, id int, PRIMARY KEY (tenant_id, id));
INSERT INTO nc_users VALUES (1, 1);
CREATE TABLE nc_domain_notes (id serial PRIMARY KEY, tenant_id nc_tenant, author_id int, body text,
    FOREIGN KEY (tenant_id, author_id) REFERENCES nc_users);
SELECT insert_with_relations('nc_domain_notes', '{"body": "x", "author": null}',
    '[{"name": "author", "table": "nc_users"}]') #- '{id}' AS domain_tenant;
CREATE TABLE nc_notes (id serial PRIMARY KEY, tenant_id int DEFAULT current_setting('app.tenant')::int,
    author_id int, body text, FOREIGN KEY (tenant_id, author_id) REFERENCES nc_users);
SELECT insert_with_relations('nc_notes', '{"body": "x", "author": null}',
    '[{"name": "author", "table": "nc_users"}]') #- '{id}' AS nullable_tenant;
SELECT insert_with_relations('nc_notes', '{"body": "y", "tenant_id": 1, "author": null}',
    '[{"name": "author", "table": "nc_users"}]') #- '{id}' AS tenant_given;
CREATE TABLE nc_cats (id int PRIMARY KEY);
INSERT INTO nc_cats VALUES (1);
CREATE TABLE nc_posts (id serial PRIMARY KEY, title text, category_id int NOT NULL DEFAULT 1 REFERENCES nc_cats);
SELECT insert_with_relations('nc_posts', '{"title": "a", "category": null}', '[{"name": "category", "table": "nc_cats"}]');
\echo :LAST_ERROR_SQLSTATE
DROP TABLE nc_posts, nc_cats, nc_notes, nc_domain_notes, nc_users;
DROP DOMAIN nc_tenant;
RESET app.tenant;
