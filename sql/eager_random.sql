-- Randomized comparison: fetch_with_relations() against SQL built independently here (correlated
-- subqueries written by hand), over many generated specs: random tables, relation trees up to
-- three levels, left and inner joins, filters, orders, limits, offsets, counts and selected
-- columns.
\set SHOW_CONTEXT never
SELECT setseed(0.1717);

CREATE SCHEMA er;
CREATE TABLE er.users (id int PRIMARY KEY, name text, age int);
CREATE TABLE er.posts (id int PRIMARY KEY, author_id int REFERENCES er.users, score int, title text);
CREATE TABLE er.comments (id int PRIMARY KEY, post_id int REFERENCES er.posts, user_id int REFERENCES er.users,
                          stars int, body text);
INSERT INTO er.users SELECT g, 'user ' || g, 18 + (g * 7) % 50 FROM generate_series(1, 30) g;
INSERT INTO er.posts SELECT g, CASE WHEN g % 11 = 0 THEN NULL ELSE 1 + (g * 13) % 30 END, (g * 37) % 100, 'post ' || g
FROM generate_series(1, 120) g;
INSERT INTO er.comments SELECT g, 1 + (g * 17) % 120, CASE WHEN g % 9 = 0 THEN NULL ELSE 1 + (g * 5) % 30 END,
                               g % 6, 'comment ' || g FROM generate_series(1, 400) g;

-- The relations each table offers: (name, target, foreign key, many_to_one?, filter column).
CREATE TEMP TABLE edges (source text, name text, target text, fk text, many_to_one boolean, filter_column text);
INSERT INTO edges VALUES
    ('users', 'posts', 'posts', 'author_id', false, 'score'),
    ('users', 'comments', 'comments', 'user_id', false, 'stars'),
    ('posts', 'author', 'users', 'author_id', true, NULL),
    ('posts', 'comments', 'comments', 'post_id', false, 'stars'),
    ('comments', 'post', 'posts', 'post_id', true, NULL),
    ('comments', 'user', 'users', 'user_id', true, NULL);
CREATE TEMP TABLE columns_of (tbl text, cols text[]);
INSERT INTO columns_of VALUES ('users', '{name,age}'), ('posts', '{title,score}'), ('comments', '{body,stars}');

-- The column each table's rows are filtered on, and the range of its values.
CREATE TEMP TABLE filter_of (tbl text, col text, low int, high int);
INSERT INTO filter_of VALUES ('users', 'age', 18, 67), ('posts', 'score', 0, 99), ('comments', 'stars', 0, 5);

-- Builds a random relation list for `tbl` (into spec), the oracle's jsonb expression for a row
-- aliased `alias` (expr) and the condition its inner joins put on that row (cond), recursively
-- to `depth`. Relations: many-to-one and one-to-many, left or inner, filtered, ordered, paged
-- (limit, offset) or counted.
CREATE FUNCTION pg_temp.random_level(tbl text, alias text, depth int, OUT spec jsonb, OUT expr text,
                                     OUT cond text)
LANGUAGE plpgsql AS $$
DECLARE
    e record;
    f record;
    child text;
    sub jsonb;
    sub_expr text;
    sub_cond text;
    rel jsonb;
    rel_expr text;
    filter_min int;
    lim int;
    skip int;
    descending boolean;
    counted boolean;
    matching text;
    pairs text := '';
    cols text[];
    base text;
BEGIN
    spec := '[]';
    cond := 'true';
    SELECT c.cols INTO cols FROM columns_of c WHERE c.tbl = random_level.tbl;
    IF random() < 0.4 THEN
        base := format('jsonb_build_object(''id'', %s.id, %L, %s.%I)', alias, cols[1], alias, cols[1]);
    ELSE
        base := format('to_jsonb(%s)', alias);
    END IF;
    IF depth > 0 THEN
        FOR e IN SELECT * FROM edges WHERE source = tbl ORDER BY random() LIMIT (random() * 2)::int LOOP
            child := alias || '_' || e.name;
            SELECT * INTO sub, sub_expr, sub_cond FROM pg_temp.random_level(e.target, child, depth - 1);
            SELECT * INTO f FROM filter_of WHERE filter_of.tbl = e.target;
            rel := jsonb_build_object('name', e.name, 'table', 'er.' || e.target, 'foreign_key', e.fk) || sub;
            -- The related rows of this row: joined, filtered, and narrowed by their own inner joins.
            matching := CASE WHEN e.many_to_one THEN format('%s.id = %s.%I', child, alias, e.fk)
                             ELSE format('%s.%I = %s.id', child, e.fk, alias) END;
            filter_min := CASE WHEN random() < 0.4 THEN f.low + (random() * (f.high - f.low))::int END;
            IF filter_min IS NOT NULL THEN
                rel := rel || jsonb_build_object('filter', jsonb_build_object(f.col, jsonb_build_object('gte', filter_min)));
                matching := matching || format(' AND %s.%I >= %s', child, f.col, filter_min);
            END IF;
            matching := matching || ' AND ' || sub_cond;
            IF random() < 0.25 THEN
                rel := rel || '{"join_type": "inner"}';
                cond := cond || format(' AND EXISTS (SELECT 1 FROM er.%I %s WHERE %s)', e.target, child, matching);
            END IF;
            counted := NOT e.many_to_one AND random() < 0.2;
            IF e.many_to_one THEN
                rel_expr := format('(SELECT %s FROM er.%I %s WHERE %s)', sub_expr, e.target, child, matching);
            ELSIF counted THEN
                rel := rel || '{"count": true}';
                rel_expr := format('(SELECT count(*) FROM er.%I %s WHERE %s)', e.target, child, matching);
            ELSE
                lim := CASE WHEN random() < 0.5 THEN 1 + (random() * 3)::int END;
                skip := CASE WHEN random() < 0.3 THEN 1 + (random() * 2)::int ELSE 0 END;
                descending := random() < 0.5;
                IF lim IS NOT NULL THEN rel := rel || jsonb_build_object('limit', lim); END IF;
                IF skip > 0 THEN rel := rel || jsonb_build_object('offset', skip); END IF;
                IF descending THEN rel := rel || '{"order_by": ["id", "DESC"]}'; END IF;
                rel_expr := format('(SELECT COALESCE(jsonb_agg(q.d ORDER BY q.k %s), ''[]'') FROM (SELECT %s AS d, %s.id AS k FROM er.%I %s WHERE %s ORDER BY %s.id %s %s OFFSET %s) q)',
                                   CASE WHEN descending THEN 'DESC' ELSE '' END, sub_expr, child, e.target, child,
                                   matching, child, CASE WHEN descending THEN 'DESC' ELSE '' END,
                                   CASE WHEN lim IS NULL THEN '' ELSE 'LIMIT ' || lim END, skip);
            END IF;
            spec := spec || jsonb_build_array(rel);
            pairs := pairs || format(', %L, %s', e.name, rel_expr);
        END LOOP;
    END IF;
    -- The level's own keys: its relations and, if chosen, its columns.
    IF base LIKE 'jsonb_build_object%' THEN
        spec := jsonb_build_object('relations', spec, 'select_columns', jsonb_build_array('id', cols[1]));
    ELSE
        spec := jsonb_build_object('relations', spec);
    END IF;
    expr := CASE WHEN pairs = '' THEN base ELSE format('(%s || jsonb_build_object(%s))', base, substr(pairs, 3)) END;
END $$;

-- Each case compares a random spec's load with the oracle's rows: `cases` of them, labelled.
CREATE TEMP TABLE outcomes (label text, case_no int, spec jsonb, same boolean);
CREATE FUNCTION pg_temp.compare_random(label text, cases int) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    tbl text;
    level record;
    spec jsonb;
    oracle text;
    expected jsonb;
    actual jsonb;
    lim int;
BEGIN
    FOR case_no IN 1 .. cases LOOP
        tbl := (ARRAY['users', 'posts', 'comments'])[1 + (random() * 2)::int];
        SELECT * INTO level FROM pg_temp.random_level(tbl, 't', 1 + (random() * 2)::int);
        lim := 1 + (random() * 8)::int;
        spec := jsonb_build_object('table', 'er.' || tbl, 'limit', lim, 'order_by', 'id') || level.spec;
        oracle := format('SELECT COALESCE(jsonb_agg(q.d ORDER BY q.k), ''[]'') FROM (SELECT %s AS d, t.id AS k FROM er.%I t WHERE %s ORDER BY t.id LIMIT %s) q',
                         level.expr, tbl, level.cond, lim);
        EXECUTE oracle INTO expected;
        actual := fetch_with_relations(spec);
        -- The json form prints what jsonb prints.
        INSERT INTO outcomes VALUES (label, case_no, spec, expected = actual
                                     AND fetch_with_relations_json(spec)::text = actual::text);
    END LOOP;
END $$;
SELECT pg_temp.compare_random('no index', 300);

SELECT count(*) AS specs, count(*) FILTER (WHERE same) AS identical,
       count(*) FILTER (WHERE spec::text LIKE '%"relations": [{"name"%"relations": [{%') AS with_nested_relations,
       count(*) FILTER (WHERE spec::text LIKE '%"inner"%') AS with_inner_joins,
       count(*) FILTER (WHERE spec::text LIKE '%"count": true%') AS with_counts,
       count(*) FILTER (WHERE spec::text LIKE '%"offset"%') AS with_offsets
FROM outcomes;
SELECT case_no, spec FROM outcomes WHERE NOT same;

-- Again with an index on every foreign key: related rows of parents with distinct keys are read
-- in one scan and matched to their parents by key, repeated keys (a post reached from several
-- comments) probed key by key.
CREATE INDEX ON er.posts (author_id);
CREATE INDEX ON er.comments (post_id);
CREATE INDEX ON er.comments (user_id);
ANALYZE er.users, er.posts, er.comments;
SELECT pg_temp.compare_random('indexed', 300);
SELECT count(*) AS specs, count(*) FILTER (WHERE same) AS identical FROM outcomes WHERE label = 'indexed';
SELECT case_no, spec FROM outcomes WHERE label = 'indexed' AND NOT same;

-- One row by key (a spec's "id", fetch_one_with_relations): the oracle's row of that key, or
-- null when there is none (keys past the last row too) or an inner join leaves it out.
CREATE TEMP TABLE one_outcomes (case_no int, spec jsonb, found boolean, same boolean);
DO $$
DECLARE
    case_no int;
    tbl text;
    level record;
    key int;
    spec jsonb;
    expected jsonb;
BEGIN
    FOR case_no IN 1 .. 150 LOOP
        tbl := (ARRAY['users', 'posts', 'comments'])[1 + (random() * 2)::int];
        SELECT * INTO level FROM pg_temp.random_level(tbl, 't', 1 + (random() * 2)::int);
        key := (random() * 420)::int;
        spec := jsonb_build_object('table', 'er.' || tbl, 'id', key) || level.spec;
        EXECUTE format('SELECT %s FROM er.%I t WHERE t.id = %s AND %s', level.expr, tbl, key, level.cond)
            INTO expected;
        -- fetch_one_with_relations renders every column: against the oracle when the spec
        -- selects no columns of the top row, else against the same spec without them.
        INSERT INTO one_outcomes VALUES (case_no, spec, expected IS NOT NULL,
            fetch_with_relations(spec) IS NOT DISTINCT FROM expected
            AND fetch_with_relations_json(spec)::text IS NOT DISTINCT FROM expected::text
            AND fetch_one_with_relations('er.' || tbl, key, COALESCE(level.spec -> 'relations', '[]'))
                IS NOT DISTINCT FROM CASE WHEN spec ? 'select_columns'
                                          THEN fetch_with_relations(spec - 'select_columns')
                                          ELSE expected END);
    END LOOP;
END $$;
SELECT count(*) AS specs, count(*) FILTER (WHERE same) AS identical,
       count(*) FILTER (WHERE spec::text LIKE '%"inner"%') AS with_inner_joins,
       count(*) FILTER (WHERE NOT spec ? 'select_columns') AS every_column,
       count(*) FILTER (WHERE found) AS found
FROM one_outcomes;
SELECT case_no, spec FROM one_outcomes WHERE NOT same;
DROP SCHEMA er CASCADE;
