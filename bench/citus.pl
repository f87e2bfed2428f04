#!/usr/bin/env perl
# Citus, one tenant, side by side in one run on a coordinator and two workers (scripts/bench.sh
# citus starts them): data_bridge against the best hand-written Citus SQL for the same result,
# every statement routed to the tenant's shard.
#   fetch_with_relations: a tenant's 50 newest posts, each with its author, its category
#     (a reference table) and its 10 best comments with their authors; against one router
#     query with LATERAL + jsonb_agg, the tenant stated for every table (so Citus sends it whole
#     to the worker).
#   fetch_one_with_relations: one post by key with the same relations.
#   fetch_related: a post's author; against the router SELECT of the same row.
#   delete_with_cascade: a user with 20 posts and 400 comments (on its posts and its own; 421 rows),
#     counted; against the same native DELETE (no count), each in a transaction rolled back.
# 50 tenants x (20 users, 400 posts, 4,000 comments). Means of interleaved rounds, ratios.
use strict;
use warnings;
use DBI;
use JSON::XS qw(decode_json);
use Time::HiRes qw(time);

my $db = DBI->connect('dbi:Pg:', undef, undef, { RaiseError => 1, AutoCommit => 1, PrintWarn => 0 });
$db->do($_) for (
    'CREATE EXTENSION IF NOT EXISTS data_bridge',
    'CREATE TABLE categories (id int PRIMARY KEY, name text NOT NULL)',
    'CREATE TABLE users (tenant_id int, id int, name text NOT NULL, PRIMARY KEY (tenant_id, id))',
    'CREATE TABLE posts (tenant_id int, id int, user_id int, category_id int, title text, created int,
                         PRIMARY KEY (tenant_id, id))',
    'CREATE TABLE comments (tenant_id int, id int, post_id int, user_id int, score int, body text,
                            PRIMARY KEY (tenant_id, id))',
    "SELECT create_reference_table('categories')",
    "SELECT create_distributed_table('users', 'tenant_id')",
    "SELECT create_distributed_table('posts', 'tenant_id', colocate_with => 'users')",
    "SELECT create_distributed_table('comments', 'tenant_id', colocate_with => 'users')",
    'ALTER TABLE posts ADD FOREIGN KEY (tenant_id, user_id) REFERENCES users ON DELETE CASCADE',
    'ALTER TABLE posts ADD FOREIGN KEY (category_id) REFERENCES categories',
    'ALTER TABLE comments ADD FOREIGN KEY (tenant_id, post_id) REFERENCES posts ON DELETE CASCADE',
    'ALTER TABLE comments ADD FOREIGN KEY (tenant_id, user_id) REFERENCES users ON DELETE CASCADE',
    'CREATE INDEX ON posts (tenant_id, created)', 'CREATE INDEX ON comments (tenant_id, post_id)',
    "INSERT INTO categories SELECT g, 'category ' || g FROM generate_series(1, 10) g",
    "INSERT INTO users SELECT t, g, 'user ' || g FROM generate_series(1, 50) t, generate_series(1, 20) g",
    "INSERT INTO posts SELECT t, g, 1 + g % 20, 1 + g % 10, 'post ' || g, g FROM generate_series(1, 50) t, generate_series(1, 400) g",
    "INSERT INTO comments SELECT t, g, 1 + g % 400, 1 + g % 20, g % 97, 'comment ' || g FROM generate_series(1, 50) t, generate_series(1, 4000) g",
    'ANALYZE categories', 'ANALYZE users', 'ANALYZE posts', 'ANALYZE comments');

my $relations = q{[{"name": "author", "table": "users", "foreign_key": "posts_tenant_id_user_id_fkey"},
    {"name": "category", "table": "categories"},
    {"name": "comments", "table": "comments", "order_by": [["score", "DESC"], ["id", "ASC"]], "limit": 10,
     "relations": [{"name": "author", "table": "users", "foreign_key": "comments_tenant_id_user_id_fkey"}]}]};
my $ours_page = $db->prepare(qq{SELECT fetch_with_relations(jsonb_build_object('table', 'posts',
    'filter', jsonb_build_object('tenant_id', \$1::int), 'order_by', '[["created", "DESC"]]'::jsonb, 'limit', 50,
    'relations', '$relations'::jsonb))});
# The hand-written query's joins, every table stating the tenant ($1) so Citus sends it whole
# to the tenant's worker: a post p's author, category and 10 best comments with their authors.
my $joins = q{
      LEFT JOIN users a ON a.tenant_id = $1 AND a.id = p.user_id
      LEFT JOIN categories c ON c.id = p.category_id
      CROSS JOIN LATERAL (
        SELECT coalesce(jsonb_agg(to_jsonb(m) || jsonb_build_object('author', to_jsonb(ma)) ORDER BY m.score DESC, m.id), '[]') AS list
        FROM (SELECT * FROM comments m WHERE m.tenant_id = $1 AND m.post_id = p.id
              ORDER BY m.score DESC, m.id LIMIT 10) m
        LEFT JOIN users ma ON ma.tenant_id = $1 AND ma.id = m.user_id) cm};
# The posts `$posts` selects, each with its relations, as one jsonb array, newest first.
sub posts_sql {
    my ($posts) = @_;
    return qq{
    SELECT coalesce(jsonb_agg(doc ORDER BY created DESC), '[]') FROM (
      SELECT p.created, to_jsonb(p) || jsonb_build_object('author', to_jsonb(a), 'category', to_jsonb(c),
                                                        'comments', cm.list) AS doc
      FROM ($posts) p $joins) s};
}
my $theirs_page = $db->prepare(posts_sql(q{SELECT * FROM posts WHERE tenant_id = $1 ORDER BY created DESC LIMIT 50}));
my $ours_one = $db->prepare(qq{SELECT fetch_one_with_relations('posts', jsonb_build_object('tenant_id', \$1::int, 'id', \$2::int), '$relations')});
my $theirs_one = $db->prepare(qq{
    SELECT to_jsonb(p) || jsonb_build_object('author', to_jsonb(a), 'category', to_jsonb(c), 'comments', cm.list)
    FROM posts p $joins
    WHERE p.tenant_id = \$1 AND p.id = \$2});
my $ours_related = $db->prepare(q{SELECT fetch_related('posts', jsonb_build_object('tenant_id', $1::int, 'id', $2::int), 'posts_tenant_id_user_id_fkey')});
my $theirs_related = $db->prepare(q{SELECT to_jsonb(u) FROM posts p JOIN users u ON u.tenant_id = $1 AND u.id = p.user_id
    WHERE p.tenant_id = $1 AND p.id = $2});

# Across tenants: the 10 newest posts of each of 5 tenants, same relations; against what a
# user writes instead, the hand-written router query once per tenant.
my $ours_across = $db->prepare(qq{SELECT fetch_with_relations(jsonb_build_object('table', 'posts',
    'filter', jsonb_build_object('tenant_id', jsonb_build_object('in', \$1::int[]), 'created', jsonb_build_object('gt', 390)),
    'order_by', '[["tenant_id", "ASC"], ["created", "DESC"]]'::jsonb, 'relations', '$relations'::jsonb))});
my $theirs_tenant = $db->prepare(posts_sql(q{SELECT * FROM posts WHERE tenant_id = $1 AND created > 390}));

sub value { my ($statement, @args) = @_; $statement->execute(@args); return ($statement->fetchrow_array)[0] }
my $canonical = JSON::XS->new->canonical;
sub same { my ($a, $b) = @_; return $canonical->encode(decode_json($a)) eq $canonical->encode(decode_json($b)) }

sub across_ours { my ($tenants) = @_; return value($ours_across, '{' . join(',', @$tenants) . '}') }
sub across_theirs {
    my ($tenants) = @_;
    return '[' . join(', ', map { my $rows = value($theirs_tenant, $_); substr($rows, 1, length($rows) - 2) }
                              grep { value($theirs_tenant, $_) ne '[]' } @$tenants) . ']';
}

# The same answers, for a few tenants and posts.
die "across tenants differs\n" unless same(across_ours([3, 8, 21, 40, 44]), across_theirs([3, 8, 21, 40, 44]));
for my $tenant (1, 17, 50) {
    die "page differs for tenant $tenant\n" unless same(value($ours_page, $tenant), value($theirs_page, $tenant));
    die "post differs\n" unless same(value($ours_one, $tenant, 7), value($theirs_one, $tenant, 7));
    die "related row differs\n" unless same(value($ours_related, $tenant, 7), value($theirs_related, $tenant, 7));
}

my $tenant = 0;
sub next_tenant { $tenant = 1 + ($tenant * 7 + 3) % 50; return $tenant }
sub compare {
    my ($title, $rounds, $ours, $theirs, $theirs_label, @post) = @_;
    my ($a, $b) = (0, 0);
    for (1 .. $rounds) {                            # interleaved: noise hits both sides alike
        my $t = next_tenant();
        my $started = time; value($ours, $t, @post); $a += time - $started;
        $started = time; value($theirs, $t, @post); $b += time - $started;
    }
    my ($ms_a, $ms_b) = (1000 * $a / $rounds, 1000 * $b / $rounds);
    printf "%-64s %8.3f ms   %-44s %8.3f ms   %.2fx\n", $title, $ms_a, $theirs_label, $ms_b, $ms_a / $ms_b;
}
printf "%-64s %11s   %-44s %11s   %s\n", 'data_bridge (one tenant, every statement on its shard)', '', 'hand-written Citus SQL, prepared', '', 'ratio';
compare('fetch_with_relations: 50 posts, author, category, 10 comments+authors', 100,
        $ours_page, $theirs_page, 'one router query, LATERAL + jsonb_agg');
compare('fetch_one_with_relations: one post, same relations', 300,
        $ours_one, $theirs_one, 'one router query, LATERAL + jsonb_agg', 123);
compare('fetch_related: a post\'s author', 300, $ours_related, $theirs_related, 'router SELECT of the joined row', 123);

# One tenant's user deleted with its posts and comments, rolled back each round.
my $ours_delete = $db->prepare(q{SELECT delete_with_cascade('users', jsonb_build_object('tenant_id', $1::int, 'id', $2::int))});
my $theirs_delete = $db->prepare(q{DELETE FROM users WHERE tenant_id = $1 AND id = $2});
my $tenant_rows = $db->prepare(q{SELECT (SELECT count(*) FROM users WHERE tenant_id = $1) +
    (SELECT count(*) FROM posts WHERE tenant_id = $1) + (SELECT count(*) FROM comments WHERE tenant_id = $1)});
{
    $db->begin_work;
    my $before = value($tenant_rows, 3);
    my $counted = value($ours_delete, 3, 5);
    die "cascade count differs\n" unless $counted == $before - value($tenant_rows, 3);
    $db->rollback;
}
my ($a, $b) = (0, 0);
for my $round (1 .. 100) {
    my ($t, $user) = (next_tenant(), 1 + $round % 20);
    for my $side ($round % 2 ? (0, 1) : (1, 0)) {   # each side first in every other round
        $db->begin_work;
        my $started = time;
        if ($side == 0) { value($ours_delete, $t, $user) } else { $theirs_delete->execute($t, $user) }
        my $took = time - $started;
        $db->rollback;
        if ($side == 0) { $a += $took } else { $b += $took }
    }
}
printf "%-64s %8.3f ms   %-44s %8.3f ms   %.2fx\n", 'delete_with_cascade: a user, 20 posts, 400 comments, counted',
    1000 * $a / 100, 'the native DELETE (no count)', 1000 * $b / 100, $a / $b;

# Across tenants: 5 tenants a call, their 10 newest posts each.
($a, $b) = (0, 0);
for my $round (1 .. 60) {
    my @tenants = map { 1 + ($round * 7 + $_ * 11) % 50 } 1 .. 5;
    my $started = time; across_ours(\@tenants); $a += time - $started;
    $started = time; value($theirs_tenant, $_) for @tenants; $b += time - $started;
}
printf "%-64s %8.3f ms   %-44s %8.3f ms   %.2fx\n", 'across 5 tenants: their 10 newest posts each, same relations',
    1000 * $a / 60, 'the router query once per tenant (5 calls)', 1000 * $b / 60, $a / $b;
