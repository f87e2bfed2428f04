-- Shared by every benchmark: time a statement over many calls, in one session, in the server.
CREATE OR REPLACE FUNCTION pg_temp.time_per_call(statement text, calls integer)
RETURNS double precision LANGUAGE plpgsql AS $$
DECLARE
    started timestamptz;
BEGIN
    EXECUTE statement;  -- warm caches and plans
    started := clock_timestamp();
    FOR i IN 1 .. calls LOOP
        EXECUTE statement;
    END LOOP;
    RETURN extract(epoch FROM clock_timestamp() - started) * 1000.0 / calls;
END $$;
