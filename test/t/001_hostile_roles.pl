# Hostile login roles against a fresh cluster: each attack of issue #10, run by a role that
# logs in with its own session, must leave the cluster as it was: no privilege gained, no
# backend crashed, no other tenant's rows read, nothing deleted a plain DELETE would not delete.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $node = PostgreSQL::Test::Cluster->new('hostile');
$node->init;
$node->start;

$node->safe_psql('postgres', q{
    CREATE EXTENSION data_bridge;
    CREATE ROLE eve LOGIN;
    CREATE ROLE tenant_a LOGIN;
    CREATE ROLE tenant_b LOGIN;
    CREATE SCHEMA eve AUTHORIZATION eve;
    CREATE SCHEMA tenant_a AUTHORIZATION tenant_a;
    CREATE SCHEMA tenant_b AUTHORIZATION tenant_b;
    CREATE TABLE public.users (id int PRIMARY KEY, name text);
    CREATE TABLE public.posts (id int PRIMARY KEY, user_id int REFERENCES public.users ON DELETE CASCADE);
    CREATE TABLE public.audit (id int PRIMARY KEY, user_id int REFERENCES public.users ON DELETE RESTRICT);
    INSERT INTO public.users VALUES (1, 'one'), (2, 'two'), (3, 'three');
    INSERT INTO public.posts VALUES (10, 1), (11, 1), (20, 2);
    INSERT INTO public.audit VALUES (1, 3);
    CREATE TABLE public.nodes (id int PRIMARY KEY, parent_id int REFERENCES public.nodes);
});

# Runs SQL as a role in its own login session; returns (exit code, stdout, stderr).
sub as_role {
    my ($role, $sql) = @_;
    my ($stdout, $stderr);
    my $rc = $node->psql('postgres', $sql, stdout => \$stdout, stderr => \$stderr,
                         extra_params => ['-U', $role, '-v', 'VERBOSITY=terse']);
    return ($rc, $stdout // '', $stderr // '');
}

sub is_superuser {
    my ($role) = @_;
    return $node->safe_psql('postgres', "SELECT rolsuper FROM pg_roles WHERE rolname = '$role'");
}

# 1. A caller-owned cast on the key argument of every function that takes a key.
as_role('eve', q{
    CREATE TYPE eve.k AS (v int);
    CREATE FUNCTION eve.k_to_int(eve.k) RETURNS int LANGUAGE plpgsql AS $$
    BEGIN
        IF (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
            EXECUTE 'ALTER ROLE eve SUPERUSER';
        END IF;
        RETURN ($1).v;
    END $$;
    CREATE CAST (eve.k AS int) WITH FUNCTION eve.k_to_int(eve.k) AS IMPLICIT;
});
my @calls = (
    q{SELECT * FROM delete_plan('public.users', ROW(1)::eve.k)},
    q{SELECT delete_with_cascade('public.users', ROW(1)::eve.k)},
    q{SELECT delete_checked('public.users', ROW(1)::eve.k)},
    q{SELECT delete_many_with_cascade('public.users', ARRAY[ROW(1)::eve.k])},
    q{SELECT delete_each_with_cascade('public.users', ARRAY[ROW(1)::eve.k], 'skip')},
    q{SELECT fetch_one_with_relations('public.users', ROW(1)::eve.k)},
    q{SELECT fetch_referenced('public.users', 'id', ROW(1)::eve.k)},
    q{SELECT backref_count('public.posts', 'user_id', ROW(1)::eve.k)},
    q{SELECT backref_count_through('public.users', 'public.posts', 'id', ROW(1)::eve.k)},
);
for my $call (@calls) {
    my ($rc, $out, $err) = as_role('eve', $call);
    like($err, qr/permission denied/, "no privilege: refused before the cast runs: $call");
}
is(is_superuser('eve'), 'f', 'eve did not become superuser without privileges');

$node->safe_psql('postgres', 'GRANT SELECT, DELETE ON public.users, public.posts TO eve');
for my $call (@calls) {
    as_role('eve', $call);
}
is(is_superuser('eve'), 'f', 'eve did not become superuser with SELECT and DELETE either');
is($node->safe_psql('postgres', 'SELECT string_agg(id::text, \',\' ORDER BY id) FROM public.users'), '2,3',
   'the delete eve may make was made: user 1');
is($node->safe_psql('postgres', 'SELECT string_agg(id::text, \',\' ORDER BY id) FROM public.posts'), '20',
   'and its posts went with it, as with a plain DELETE');

# 2. Deep and wide specs by an ordinary role: an error, never a crashed backend.
$node->safe_psql('postgres', 'GRANT SELECT ON public.nodes TO eve');
my $deep = q{SELECT fetch_with_relations(('{"table": "public.nodes", "relations": ' ||
    repeat('[{"name": "r", "table": "public.nodes", "relations": ', 6000) || '[]' ||
    repeat('}]', 6000) || '}')::jsonb)};
my ($rc, $out, $err) = as_role('eve', $deep);
like($err, qr/nested more than/, 'a spec 6,000 levels deep is refused');
($rc, $out, $err) = as_role('eve', q{SELECT fetch_many_with_relations('public.nodes',
    (repeat('[{"name": "r", "table": "public.nodes", "relations": ', 6000) || '[]' || repeat('}]', 6000))::jsonb)});
like($err, qr/nested more than/, 'through fetch_many_with_relations too');
is($node->safe_psql('postgres', 'SELECT 1'), '1', 'the server is up');
my $log = slurp_file($node->logfile);
unlike($log, qr/terminated by signal/, 'no backend was terminated by a signal');

# 3. Schema-per-tenant on one pooled session: the same spec under another search_path reads the
#    other schema; a role never sees a shape another role's call left behind.
for my $tenant ('tenant_a', 'tenant_b') {
    as_role($tenant, qq{
        CREATE TABLE $tenant.items (id int PRIMARY KEY, owner text);
        INSERT INTO $tenant.items VALUES (1, '$tenant');
        GRANT USAGE ON SCHEMA $tenant TO eve;
        GRANT SELECT ON $tenant.items TO eve;
    });
}
($rc, $out, $err) = as_role('eve', q{
    SET search_path = tenant_a, public;
    SELECT fetch_with_relations('{"table": "items", "id": 1}') ->> 'owner';
    SET search_path = tenant_b, public;
    SELECT fetch_with_relations('{"table": "items", "id": 1}') ->> 'owner';
});
is($out, "tenant_a\ntenant_b", 'one session, two search_paths: each tenant its own rows');
($rc, $out, $err) = as_role('tenant_b', q{
    SET search_path = tenant_a, public;
    SELECT fetch_with_relations('{"table": "items", "id": 1}') ->> 'owner';
});
like($err, qr/permission denied|does not exist/,
     'tenant_b cannot read tenant_a through data_bridge, as with a plain SELECT');

# 4. delete_plan reveals nothing to a role that may not DELETE.
($rc, $out, $err) = as_role('tenant_a', q{SELECT * FROM delete_plan('public.users', 3)});
like($err, qr/permission denied/, 'delete_plan without DELETE: 42501');
($rc, $out, $err) = as_role('tenant_a', q{SELECT * FROM delete_plan('public.users', 999)});
like($err, qr/permission denied/, 'the same for a key that does not exist');

$node->stop;
done_testing();
