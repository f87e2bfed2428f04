# data_bridge on a hot standby (read scale-out): a primary and a streaming standby. On the
# standby every read function answers as on the primary, every write function fails with
# PostgreSQL's read-only error (25006) and nothing else, and DDL replayed from the primary (a
# new foreign key) is seen by the standby's caches on the next call.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $primary = PostgreSQL::Test::Cluster->new('primary');
$primary->init(allows_streaming => 1);
$primary->start;
$primary->safe_psql('postgres', q{
    CREATE EXTENSION data_bridge;
    CREATE TABLE users (id int PRIMARY KEY, name text);
    CREATE TABLE posts (id int PRIMARY KEY, author_id int REFERENCES users ON DELETE CASCADE,
                        title text);
    CREATE TABLE comments (id int PRIMARY KEY, post_id int REFERENCES posts ON DELETE CASCADE,
                           body text);
    INSERT INTO users VALUES (1, 'Ada'), (2, 'Brian');
    INSERT INTO posts VALUES (10, 1, 'first'), (11, 1, 'second'), (20, 2, 'third');
    INSERT INTO comments VALUES (100, 10, 'nice'), (101, 10, 'agreed'), (200, 20, 'hm');
});
$primary->backup('backup');
my $standby = PostgreSQL::Test::Cluster->new('standby');
$standby->init_from_backup($primary, 'backup', has_streaming => 1);
$standby->start;
$primary->wait_for_catchup($standby);
is($standby->safe_psql('postgres', 'SELECT pg_is_in_recovery()'), 't', 'the standby is in recovery');

my @reads = (
    q{SELECT string_agg(source_table || ' ' || on_delete, ', ' ORDER BY source_table) FROM get_backreferences('users')},
    q{SELECT string_agg(target_table::text, ', ') FROM get_references('comments')},
    q{SELECT count(*) FROM unindexed_foreign_keys()},
    q{SELECT fetch_with_relations('{"table": "users", "id": 1, "relations": [{"name": "posts", "table": "posts", "relations": [{"name": "comments", "table": "comments"}]}]}')},
    q{SELECT fetch_one_with_relations('posts', 10, '[{"name": "author", "table": "users"}]')},
    q{SELECT fetch_many_with_relations('posts', '[{"name": "comments", "table": "comments", "count": true}]')},
    q{SELECT fetch_one_eager('posts', 20, ARRAY[['author', 'author_id', 'users']])},
    q{SELECT fetch_referenced('users', 'id', 2)},
    q{SELECT fetch_related('posts', 11, 'author_id')},
    q{SELECT backref_fetch_all('posts', 'author_id', 1)},
    q{SELECT backref_fetch_one('posts', 'author_id', 1)},
    q{SELECT backref_count('comments', 'post_id', 10)},
);
for my $sql (@reads) {
    is($standby->safe_psql('postgres', $sql), $primary->safe_psql('postgres', $sql),
       "the standby answers as the primary: $sql");
}

# delete_plan runs the DELETE it predicts, so on a standby it is refused as the DELETE is.
my @writes = (
    q{SELECT * FROM delete_plan('users', 1)},
    q{SELECT delete_with_cascade('users', 1)},
    q{SELECT delete_checked('users', 1)},
    q{SELECT delete_many_with_cascade('users', ARRAY[1, 2])},
    q{SELECT delete_each_with_cascade('users', ARRAY[1, 2], 'skip')},
    q{SELECT insert_one('users', '{"id": 3, "name": "Chen"}')},
    q{SELECT insert_many('users', '[{"id": 3, "name": "Chen"}]', 'skip')},
    q{SELECT add_foreign_key('comments', 'post_id', 'posts')},
);
for my $sql (@writes) {
    my ($rc, $out, $err) = $standby->psql('postgres', $sql, extra_params => ['-v', 'VERBOSITY=verbose']);
    like($err, qr/ERROR:  25006/, "refused with 25006 on the standby: $sql");
}

# DDL replayed from the primary reaches the standby's caches: a new foreign key shows up in the
# next call of the same session kind.
is($standby->safe_psql('postgres', q{SELECT count(*) FROM get_backreferences('comments')}), '0',
   'no foreign key into comments yet');
$primary->safe_psql('postgres', q{
    CREATE TABLE likes (id int PRIMARY KEY, comment_id int REFERENCES comments ON DELETE CASCADE);
    INSERT INTO likes VALUES (1, 100);
});
$primary->wait_for_catchup($standby);
is($standby->safe_psql('postgres', q{SELECT string_agg(source_table::text, ',') FROM get_backreferences('comments')}),
   'likes', 'the replayed foreign key is seen');
is($standby->safe_psql('postgres', q{SELECT fetch_one_with_relations('comments', 100, '[{"name": "likes", "table": "likes"}]') -> 'likes' ->> 0}),
   '{"id": 1, "comment_id": 100}', 'and loaded through');

$standby->stop;
$primary->stop;
done_testing();
