-- The SQL surface of data_bridge, every function with what a DBA reviews before installing:
-- schema, signature, volatility, strictness, parallel label, security and ACL. A change to any
-- of these shows up here, in review.
SELECT n.nspname AS schema,
       p.oid::regprocedure::text AS function,
       p.provolatile AS volatility,
       p.proisstrict AS strict,
       p.proparallel AS parallel,
       p.prosecdef AS security_definer,
       coalesce(replace(replace(p.proacl::text, current_user || '=', 'installer='), '/' || current_user, '/installer'),
                '(default: PUBLIC may execute)') AS acl,
       obj_description(p.oid, 'pg_proc') IS NOT NULL AS has_comment
FROM pg_proc p
JOIN pg_namespace n ON n.oid = p.pronamespace
JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'data_bridge'
ORDER BY 1, 2;

-- No function is SECURITY DEFINER, and the internal ones are in their own schema.
SELECT count(*) FILTER (WHERE p.prosecdef) AS security_definer,
       count(*) FILTER (WHERE p.proname LIKE '\_%' AND n.nspname <> 'data_bridge_internal') AS internal_outside
FROM pg_proc p
JOIN pg_namespace n ON n.oid = p.pronamespace
JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'data_bridge';
SELECT nspname, replace(replace(nspacl::text, current_user || '=', 'installer='), '/' || current_user, '/installer') AS acl
FROM pg_namespace WHERE nspname = 'data_bridge_internal';
