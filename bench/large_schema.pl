#!/usr/bin/env perl
# A large schema (5,000 tables chained by 5,000 foreign keys, plus a small blog schema), side by
# side in one run:
#   the first call in a new connection, against the same answer from hand-written catalog or
#   LATERAL SQL in a new connection (get_backreferences, fetch_one_with_relations, delete_plan);
#   a call right after ANALYZE of an unrelated table (what autovacuum does all day), against the
#   same call before it; the same after another connection created a table with a primary key.
# Medians of interleaved rounds; prints each ratio with the figures behind it. scripts/bench.sh
# runs it again with data_bridge in shared_preload_libraries (argument "first-calls": only the
# first calls), where a new connection does not load the module.
use strict;
use warnings;
use DBI;
use Time::HiRes qw(time);

my $tables = 5000;
my $db = DBI->connect('dbi:Pg:', undef, undef, { RaiseError => 1, AutoCommit => 1, PrintWarn => 0 });
$db->do('CREATE EXTENSION IF NOT EXISTS data_bridge');
# In batches: one transaction for all of them runs out of lock slots.
for (my $first = 0; $first < $tables; $first += 250) {
    my $last = $first + 249;
    $db->do(qq{DO \$\$ BEGIN FOR i IN $first .. $last LOOP
        EXECUTE format('CREATE TABLE t%s (id int PRIMARY KEY, p int REFERENCES %s)', i,
                       CASE WHEN i = 0 THEN 't0' ELSE 't' || (i - 1) END);
    END LOOP; END \$\$});
}
$db->do($_) for (
    'CREATE TABLE users (id int PRIMARY KEY, name text NOT NULL)',
    'CREATE TABLE posts (id int PRIMARY KEY, author_id int REFERENCES users, title text)',
    'CREATE TABLE comments (id int PRIMARY KEY, post_id int REFERENCES posts, author_id int REFERENCES users, body text)',
    'CREATE INDEX ON posts (author_id)', 'CREATE INDEX ON comments (post_id)',
    'CREATE TABLE unrelated (id int PRIMARY KEY, v int)',
    "INSERT INTO users SELECT g, 'user ' || g FROM generate_series(1, 100) g",
    "INSERT INTO posts SELECT g, 1 + g % 100, 'post ' || g FROM generate_series(1, 1000) g",
    "INSERT INTO comments SELECT g, 1 + g % 1000, 1 + g % 100, 'c' FROM generate_series(1, 5000) g",
    'INSERT INTO unrelated SELECT g, g FROM generate_series(1, 1000) g',
    'INSERT INTO t0 VALUES (1)', 'INSERT INTO t1 VALUES (1, 1)',
    'VACUUM ANALYZE');

sub median { my @s = sort { $a <=> $b } @_; return $s[@s / 2]; }

# Milliseconds of one statement, the first of a new connection.
sub first_call {
    my ($sql) = @_;
    my $c = DBI->connect('dbi:Pg:', undef, undef, { RaiseError => 1, AutoCommit => 1 });
    $c->do('BEGIN');
    my $t = time;
    $c->selectall_arrayref($sql);
    my $ms = (time - $t) * 1000;
    $c->do('ROLLBACK');
    $c->disconnect;
    return $ms;
}

my $relations = q{'[{"name": "author", "table": "users"}, {"name": "comments", "table": "comments"}]'};
my @first = (
    ["get_backreferences('t100')", "SELECT * FROM get_backreferences('t100')",
     "hand-written pg_constraint query",
     "SELECT c.conname, c.conrelid::regclass, a.attname FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey) WHERE c.confrelid = 't100'::regclass AND c.contype = 'f'"],
    ["fetch_one_with_relations(posts, 7)", "SELECT fetch_one_with_relations('posts', 7, $relations)",
     "hand-written LATERAL statement",
     "SELECT to_jsonb(p) || jsonb_build_object('author', (SELECT to_jsonb(u) FROM users u WHERE u.id = p.author_id), 'comments', (SELECT coalesce(jsonb_agg(to_jsonb(c) ORDER BY c.id), '[]') FROM comments c WHERE c.post_id = p.id)) FROM posts p WHERE p.id = 7"],
    ["delete_plan('t4990', 1)", "SELECT * FROM delete_plan('t4990', 1)",
     "hand-written DELETE ... RETURNING", "DELETE FROM t4990 WHERE id = 1 RETURNING id"],
);
my ($preload) = $db->selectrow_array('SHOW shared_preload_libraries');
my $title = 'first call in a new connection' . ($preload =~ /data_bridge/ ? ' (preloaded)' : '');
printf "%-38s %10s   %-36s %10s   %s\n", $title, 'ms', 'alternative', 'ms', 'ratio';
for my $case (@first) {
    my ($label, $ours, $other_label, $other) = @$case;
    my (@a, @b);
    for (1 .. 15) { push @a, first_call($ours); push @b, first_call($other); }
    printf "%-38s %10.2f   %-36s %10.2f   %.2fx\n", $label, median(@a), $other_label, median(@b),
        median(@a) / median(@b);
}
$db->disconnect;
exit 0 if @ARGV && $ARGV[0] eq 'first-calls';

# After ANALYZE of an unrelated table, in one connection. The hand-written statements run after
# ANALYZE too (PostgreSQL's caches and the CPU's pay for it as well): their ratio is printed beside.
my $c = DBI->connect('dbi:Pg:', undef, undef, { RaiseError => 1, AutoCommit => 1 });
my $call = $c->prepare("SELECT fetch_one_with_relations('posts', 7, $relations)");
my $gb = $c->prepare("SELECT * FROM get_backreferences('t100')");
my $lateral = $c->prepare($first[1][3]);
my $catalog = $c->prepare($first[0][3]);
my (@before, @after, @plain_before, @plain_after);
for (1 .. 30) {
    for my $s ($call, $gb) { $s->execute; $s->fetchall_arrayref; }
    my $t = time; $call->execute; $call->fetchall_arrayref; $gb->execute; $gb->fetchall_arrayref;
    push @before, (time - $t) * 1000;
    $c->do('ANALYZE unrelated');
    $c->do('ANALYZE t100');
    $t = time; $call->execute; $call->fetchall_arrayref; $gb->execute; $gb->fetchall_arrayref;
    push @after, (time - $t) * 1000;
}
for (1 .. 30) {
    for my $s ($lateral, $catalog) { $s->execute; $s->fetchall_arrayref; }
    my $t = time; $lateral->execute; $lateral->fetchall_arrayref; $catalog->execute; $catalog->fetchall_arrayref;
    push @plain_before, (time - $t) * 1000;
    $c->do('ANALYZE unrelated');
    $c->do('ANALYZE t100');
    $t = time; $lateral->execute; $lateral->fetchall_arrayref; $catalog->execute; $catalog->fetchall_arrayref;
    push @plain_after, (time - $t) * 1000;
}
printf "%-38s %10.3f   %-36s %10.3f   %.2fx\n", 'calls right after ANALYZE', median(@after),
    'the same calls before it', median(@before), median(@after) / median(@before);
printf "%-38s %10.3f   %-36s %10.3f   %.2fx\n", '  hand-written statements after it',
    median(@plain_after), 'the same before it', median(@plain_before),
    median(@plain_after) / median(@plain_before);
# The time ANALYZE adds, apart from the ratio: the same cold caches cost both sides about as much,
# which weighs more on the shorter calls' ratio.
printf "  time it adds: data_bridge %.3f ms, hand-written statements %.3f ms\n",
    median(@after) - median(@before), median(@plain_after) - median(@plain_before);
my ($builds) = $c->selectrow_array('SELECT graph_builds FROM cache_stats()');
print "foreign-key graph builds in that connection: $builds (30 rounds of ANALYZE)\n";

# After another connection created (and dropped) a table with a primary key: a constraint
# elsewhere, which an application's temporary tables and migrations make all day.
# The hand-written statements pay for the same invalidations (PostgreSQL's own catalog caches):
# their ratio is printed beside.
my $other = DBI->connect('dbi:Pg:', undef, undef, { RaiseError => 1, AutoCommit => 1 });
my ($generation) = $c->selectrow_array('SELECT catalog_generation FROM cache_stats()');
(@before, @after, @plain_before, @plain_after) = ();
for (1 .. 30) {
    for my $s ($call, $gb, $lateral, $catalog) { $s->execute; $s->fetchall_arrayref; }
    my $t = time; $call->execute; $call->fetchall_arrayref; $gb->execute; $gb->fetchall_arrayref;
    push @before, (time - $t) * 1000;
    $t = time; $lateral->execute; $lateral->fetchall_arrayref; $catalog->execute; $catalog->fetchall_arrayref;
    push @plain_before, (time - $t) * 1000;
    $other->do('CREATE TABLE scratch (id int PRIMARY KEY, v int)');
    $other->do('DROP TABLE scratch');
    $t = time; $call->execute; $call->fetchall_arrayref; $gb->execute; $gb->fetchall_arrayref;
    push @after, (time - $t) * 1000;
    $other->do('CREATE TABLE scratch (id int PRIMARY KEY, v int)');
    $other->do('DROP TABLE scratch');
    $t = time; $lateral->execute; $lateral->fetchall_arrayref; $catalog->execute; $catalog->fetchall_arrayref;
    push @plain_after, (time - $t) * 1000;
}
printf "%-38s %10.3f   %-36s %10.3f   %.2fx\n", 'calls after a CREATE TABLE elsewhere',
    median(@after), 'the same calls before it', median(@before), median(@after) / median(@before);
printf "%-38s %10.3f   %-36s %10.3f   %.2fx\n", '  hand-written statements after it',
    median(@plain_after), 'the same before it', median(@plain_before),
    median(@plain_after) / median(@plain_before);
my ($generation_after) = $c->selectrow_array('SELECT catalog_generation FROM cache_stats()');
printf "remembered shapes dropped in that connection: %d times (30 tables created)\n",
    $generation_after - $generation;
$other->disconnect;
$c->disconnect;
