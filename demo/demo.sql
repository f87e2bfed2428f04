-- The data_bridge demo on the sample blog schema (demo/sample_schema.sql).
\pset null '(null)'
\echo
\echo '== What references users? get_backreferences(''users'')'
SELECT source_table, source_column, target_table, target_column, on_delete, on_update,
       constraint_name, is_indexed
FROM get_backreferences('users');

\echo '== What does posts reference? get_references(''posts'')'
SELECT constraint_name, source_column, target_table, target_column, on_delete
FROM get_references('posts');
