-- Errors raised anywhere inside data_bridge's C++ code reach the client as ordinary ERRORs
-- with their SQLSTATE, every C++ destructor on the way runs, and the session goes on working.
\set SHOW_CONTEXT never

-- An error thrown three C++ frames below the entry point, with detail and hint.
SELECT data_bridge_internal._boundary_selftest('cpp_error');
\echo :LAST_ERROR_SQLSTATE
-- The objects those frames owned were destroyed.
SELECT data_bridge_internal._boundary_selftest('live_canaries') AS live_canaries;

-- A failing SPI query issued from C++ code keeps PostgreSQL's SQLSTATE.
SELECT data_bridge_internal._boundary_selftest('spi_error');
\echo :LAST_ERROR_SQLSTATE
SELECT data_bridge_internal._boundary_selftest('live_canaries') AS live_canaries;

-- An ereport() inside guarded() keeps its detail and hint.
SELECT data_bridge_internal._boundary_selftest('pg_error');
\echo :LAST_ERROR_SQLSTATE

-- Standard library exceptions become internal errors, std::bad_alloc becomes out_of_memory.
SELECT data_bridge_internal._boundary_selftest('std_exception');
\echo :LAST_ERROR_SQLSTATE
SELECT data_bridge_internal._boundary_selftest('bad_alloc');
\echo :LAST_ERROR_SQLSTATE
SELECT data_bridge_internal._boundary_selftest('unknown_exception');
\echo :LAST_ERROR_SQLSTATE
SELECT data_bridge_internal._boundary_selftest('no such test');
\echo :LAST_ERROR_SQLSTATE

-- A C++ exception thrown inside guarded(): PostgreSQL's exception stack is restored, so the
-- ereport that follows in the same call is caught as usual and keeps its SQLSTATE.
SELECT data_bridge_internal._boundary_selftest('throw_inside_guarded');
\echo :LAST_ERROR_SQLSTATE
SELECT data_bridge_internal._boundary_selftest('live_canaries') AS live_canaries;

-- The same session goes on working, SPI included.
SELECT data_bridge_internal._boundary_selftest('spi_ok') AS rows_from_spi;
SELECT data_bridge_internal._boundary_selftest('live_canaries') AS live_canaries;

-- Errors inside a transaction: rolled back to a savepoint, the transaction goes on.
BEGIN;
CREATE TABLE boundary_probe (id int PRIMARY KEY);
SAVEPOINT before_error;
SELECT data_bridge_internal._boundary_selftest('spi_error');
ROLLBACK TO SAVEPOINT before_error;
INSERT INTO boundary_probe VALUES (1);
SELECT count(*) FROM boundary_probe;
ROLLBACK;

-- The hook is not for PUBLIC.
SELECT has_function_privilege('public', 'data_bridge_internal._boundary_selftest(text)', 'EXECUTE') AS public_can_execute;
