-- Randomized comparison: generated foreign-key graphs (self-references, cycles, several keys
-- between the same tables, every ON DELETE action, NOT NULL columns, defaults that exist or not,
-- BEFORE DELETE triggers that keep some rows, named to fire before or after PostgreSQL's own
-- foreign-key triggers) and data; for random root rows, delete_with_cascade() and
-- delete_checked() must end exactly as a plain native DELETE ends (the same rows with the same
-- values, or the same SQLSTATE), delete_with_cascade() must return the rows that went, and
-- delete_plan() must predict the outcome: a blocking line exactly when the DELETE fails on a
-- foreign key or NOT NULL, the same error when it fails otherwise.
\set SHOW_CONTEXT never
SELECT setseed(0.4242);

CREATE FUNCTION pg_temp.snapshot(tables int) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
    result jsonb := '{}';
    rows jsonb;
BEGIN
    FOR t IN 0 .. tables - 1 LOOP
        EXECUTE format('SELECT coalesce(jsonb_agg(to_jsonb(x) ORDER BY x.id), ''[]'') FROM rnd.t%s x', t) INTO rows;
        result := result || jsonb_build_object('t' || t, rows);
    END LOOP;
    RETURN result;
END $$;

-- Runs `statement`; returns the snapshot after it, or the SQLSTATE it failed with; never keeps
-- its changes.
CREATE FUNCTION pg_temp.outcome(statement text, tables int) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    after text;
BEGIN
    BEGIN
        EXECUTE statement;
        after := pg_temp.snapshot(tables)::text;
        RAISE EXCEPTION USING ERRCODE = 'DBRB1';
    EXCEPTION
        WHEN SQLSTATE 'DBRB1' THEN RETURN after;
        WHEN OTHERS THEN RETURN 'error ' || SQLSTATE;
    END;
END $$;

-- Runs `statement` (a SELECT of one value); returns that value and the rows that went, or the
-- SQLSTATE it failed with; never keeps its changes.
CREATE FUNCTION pg_temp.returned(statement text, tables int) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    value text;
    before bigint;
    after bigint;
BEGIN
    BEGIN
        before := pg_temp.total(tables);
        EXECUTE statement INTO value;
        after := pg_temp.total(tables);
        RAISE EXCEPTION USING ERRCODE = 'DBRB1', MESSAGE = format('returned %s, %s went', value, before - after);
    EXCEPTION
        WHEN SQLSTATE 'DBRB1' THEN RETURN SQLERRM;
        WHEN OTHERS THEN RETURN 'error ' || SQLSTATE;
    END;
END $$;

CREATE FUNCTION pg_temp.total(tables int) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    n bigint;
    sum bigint := 0;
BEGIN
    FOR t IN 0 .. tables - 1 LOOP
        EXECUTE format('SELECT count(*) FROM rnd.t%s', t) INTO n;
        sum := sum + n;
    END LOOP;
    RETURN sum;
END $$;

-- delete_plan's prediction: 'blocks', 'ok', or the error it raised.
CREATE FUNCTION pg_temp.predicted(root_table int, root_id int) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    blocks boolean;
BEGIN
    EXECUTE format('SELECT bool_or(blocks) FROM delete_plan(''rnd.t%s'', %s)', root_table, root_id) INTO blocks;
    RETURN CASE WHEN blocks THEN 'blocks' ELSE 'ok' END;
EXCEPTION WHEN OTHERS THEN
    RETURN 'error ' || SQLSTATE;
END $$;

-- Keeps (does not delete) the rows with id 3: PostgreSQL's cascade stops there.
CREATE FUNCTION pg_temp.keep_three() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.id = 3 THEN RETURN NULL; END IF;
    RETURN OLD;
END $$;

CREATE FUNCTION pg_temp.build_case(tables int) RETURNS int LANGUAGE plpgsql AS $$
DECLARE
    actions text[] := ARRAY['CASCADE', 'CASCADE', 'CASCADE', 'SET NULL', 'SET DEFAULT', 'RESTRICT', 'NO ACTION'];
    edges int := tables + (random() * tables)::int;
    child int;
    parent int;
    action text;
    not_null boolean;
    rows_per_table int := 6;
BEGIN
    DROP SCHEMA IF EXISTS rnd CASCADE;
    CREATE SCHEMA rnd;
    FOR t IN 0 .. tables - 1 LOOP
        EXECUTE format('CREATE TABLE rnd.t%s (id int PRIMARY KEY)', t);
        EXECUTE format('INSERT INTO rnd.t%s SELECT generate_series(1, %s)', t, rows_per_table);
    END LOOP;
    FOR e IN 1 .. edges LOOP
        child := (random() * (tables - 1))::int;
        parent := (random() * (tables - 1))::int;   -- may equal child: a self-reference
        action := actions[1 + (random() * (array_length(actions, 1) - 1))::int];
        not_null := random() < 0.25;
        -- A default that exists (1..6) or not (99), for SET DEFAULT.
        EXECUTE format('ALTER TABLE rnd.t%s ADD COLUMN f%s int DEFAULT %s', child, e,
                       CASE WHEN random() < 0.7 THEN 1 + (random() * 5)::int ELSE 99 END);
        -- Each row references a random parent row (or none); a self-reference only an earlier row,
        -- or, now and then, a later one, which makes cycles.
        EXECUTE format('UPDATE rnd.t%s SET f%s = CASE WHEN random() < 0.2 AND NOT %L THEN NULL
                                                      ELSE 1 + (random() * %s)::int END',
                       child, e, not_null, rows_per_table - 1);
        IF not_null THEN
            EXECUTE format('ALTER TABLE rnd.t%s ALTER COLUMN f%s SET NOT NULL', child, e);
        END IF;
        EXECUTE format('ALTER TABLE rnd.t%s ADD CONSTRAINT k%s FOREIGN KEY (f%s) REFERENCES rnd.t%s ON DELETE %s',
                       child, e, e, parent, action);
    END LOOP;
    -- Now and then a table keeps its rows with id 3, by a trigger that fires before or after
    -- PostgreSQL's own foreign-key triggers (they fire in name order).
    FOR t IN 0 .. tables - 1 LOOP
        IF random() < 0.2 THEN
            EXECUTE format('CREATE TRIGGER %I BEFORE DELETE ON rnd.t%s FOR EACH ROW EXECUTE FUNCTION pg_temp.keep_three()',
                           CASE WHEN random() < 0.5 THEN 'a_keep' ELSE 'z_keep' END, t);
        END IF;
    END LOOP;
    RETURN edges;
END $$;

CREATE TEMP TABLE comparison (case_no int, root text, native text, cascade text, checked text,
                               returned text, predicted text);
DO $$
DECLARE
    tables int;
    root_table int;
    root_id int;
BEGIN
    FOR case_no IN 1 .. 60 LOOP
        tables := 2 + (random() * 3)::int;
        PERFORM pg_temp.build_case(tables);
        FOR attempt IN 1 .. 3 LOOP
            root_table := (random() * (tables - 1))::int;
            root_id := 1 + (random() * 5)::int;
            INSERT INTO comparison VALUES (
                case_no, format('t%s/%s', root_table, root_id),
                pg_temp.outcome(format('DELETE FROM rnd.t%s WHERE id = %s', root_table, root_id), tables),
                pg_temp.outcome(format('SELECT delete_with_cascade(''rnd.t%s'', %s)', root_table, root_id), tables),
                pg_temp.outcome(format('SELECT delete_checked(''rnd.t%s'', %s)', root_table, root_id), tables),
                pg_temp.returned(format('SELECT delete_with_cascade(''rnd.t%s'', %s)', root_table, root_id), tables),
                pg_temp.predicted(root_table, root_id));
        END LOOP;
    END LOOP;
END $$;

SELECT count(*) AS comparisons,
       count(*) FILTER (WHERE native LIKE 'error %') AS native_failures,
       count(*) FILTER (WHERE native NOT LIKE 'error %' AND predicted = 'ok') AS native_deletes,
       count(*) FILTER (WHERE native <> cascade) AS cascade_disagrees,
       count(*) FILTER (WHERE native <> checked) AS checked_disagrees,
       count(*) FILTER (WHERE returned LIKE 'returned%'
                          AND split_part(returned, ' ', 2) <> split_part(returned, ' ', 3) || ',') AS wrong_counts,
       count(*) FILTER (WHERE NOT CASE WHEN native IN ('error 23503', 'error 23502') THEN predicted = 'blocks'
                                       WHEN native LIKE 'error %' THEN predicted = native
                                       ELSE predicted = 'ok' END) AS plan_disagrees
FROM comparison;
-- The comparisons are not vacuous: cascades of several rows, counted.
SELECT count(*) FILTER (WHERE returned ~ '^returned ([2-9]|[1-9][0-9])') AS multi_row_cascades FROM comparison;
-- Every disagreement, if any, to debug from.
SELECT * FROM comparison
WHERE native <> cascade OR native <> checked
   OR (returned LIKE 'returned%' AND split_part(returned, ' ', 2) <> split_part(returned, ' ', 3) || ',')
   OR NOT CASE WHEN native IN ('error 23503', 'error 23502') THEN predicted = 'blocks'
               WHEN native LIKE 'error %' THEN predicted = native
               ELSE predicted = 'ok' END;
DROP SCHEMA rnd CASCADE;
