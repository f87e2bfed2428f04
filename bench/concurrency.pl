#!/usr/bin/env perl
# Many clients at once: pgbench with 8 clients (2 threads), each transaction one post by a random
# id with its author, category and comments (+ their authors), by fetch_one_with_relations and by
# the hand-written LATERAL statement, in alternating runs. data_bridge's caches are per backend
# and take no shared lock, so it should scale as the statement does. Prints TPS and the ratio.
use strict;
use warnings;
use DBI;
use File::Temp qw(tempfile);

my $db = DBI->connect('dbi:Pg:', undef, undef, { RaiseError => 1, AutoCommit => 1, PrintWarn => 0 });
$db->do($_) for (
    'CREATE EXTENSION IF NOT EXISTS data_bridge',
    'CREATE TABLE users (id int PRIMARY KEY, name text NOT NULL, email text)',
    'CREATE TABLE categories (id int PRIMARY KEY, name text NOT NULL)',
    'CREATE TABLE posts (id int PRIMARY KEY, title text NOT NULL, body text, author_id int REFERENCES users,
                         category_id int REFERENCES categories, created_at timestamptz DEFAULT \'2026-01-01\')',
    'CREATE TABLE comments (id int PRIMARY KEY, post_id int REFERENCES posts, author_id int REFERENCES users, body text)',
    'CREATE INDEX ON posts (author_id)', 'CREATE INDEX ON comments (post_id)',
    "INSERT INTO users SELECT g, 'user ' || g, 'u' || g || '\@example.com' FROM generate_series(1, 2000) g",
    "INSERT INTO categories SELECT g, 'category ' || g FROM generate_series(1, 20) g",
    "INSERT INTO posts SELECT g, 'post ' || g, repeat('x', 200), 1 + g % 2000, 1 + g % 20 FROM generate_series(1, 20000) g",
    "INSERT INTO comments SELECT g, 1 + g % 20000, 1 + (g * 7) % 2000, 'comment ' || g FROM generate_series(1, 100000) g",
    'VACUUM ANALYZE');
$db->disconnect;

my %scripts = (
    data_bridge => q{\set id random(1, 20000)
SELECT fetch_one_with_relations('posts', :id, '[{"name": "author", "table": "users", "foreign_key": "author_id"},
 {"name": "category", "table": "categories", "foreign_key": "category_id"},
 {"name": "comments", "table": "comments", "foreign_key": "post_id",
  "relations": [{"name": "author", "table": "users", "foreign_key": "author_id"}]}]'::jsonb);
},
    by_hand => q{\set id random(1, 20000)
SELECT to_jsonb(p) || jsonb_build_object('author', to_jsonb(a), 'category', to_jsonb(c), 'comments', cm.list) FROM posts p LEFT JOIN users a ON a.id = p.author_id LEFT JOIN categories c ON c.id = p.category_id CROSS JOIN LATERAL (SELECT COALESCE(jsonb_agg(to_jsonb(m) || jsonb_build_object('author', to_jsonb(ma)) ORDER BY m.id), '[]') AS list FROM comments m LEFT JOIN users ma ON ma.id = m.author_id WHERE m.post_id = p.id) cm WHERE p.id = :id;
},
);
my %files;
for my $name (keys %scripts) {
    my ($fh, $file) = tempfile(SUFFIX => '.sql', UNLINK => 1);
    print $fh $scripts{$name};
    close $fh;
    $files{$name} = $file;
}

sub tps {
    my ($name) = @_;
    my $out = `pgbench -n -M prepared -c 8 -j 2 -T 8 -f $files{$name} 2>&1`;
    die "pgbench failed for $name:\n$out" unless $out =~ /tps = ([\d.]+)/;
    return $1;
}

my %total = (data_bridge => 0, by_hand => 0);
my $rounds = 3;
for my $round (1 .. $rounds) {                      # alternating: noise hits both alike
    $total{$_} += tps($_) for qw(data_bridge by_hand);
}
my %mean = map { $_ => $total{$_} / $rounds } keys %total;
print "pgbench, 8 clients, 2 threads, one post with its relations per transaction ($rounds x 8 s each)\n";
printf "%-44s %10.0f tps\n", 'fetch_one_with_relations', $mean{data_bridge};
printf "%-44s %10.0f tps\n", 'hand-written LATERAL statement, prepared', $mean{by_hand};
printf "throughput ratio (data_bridge / hand-written): %.2f\n", $mean{data_bridge} / $mean{by_hand};
