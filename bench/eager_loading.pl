#!/usr/bin/env perl
# Eager loading, from a client program (DBI), side by side in one run:
#   fetch_many_with_relations: one call;
#   the best hand-written statement: LATERAL joins with jsonb_agg, prepared;
#   the N+1 loop a client runs: one query per post for its author, category and comments, and
#   one per comment for its author.
# 100 posts with author, category and comments, each comment with its author, on 20,000 posts and
# 100,000 comments; the same for 2,000 posts; then for one post by id. Prints the mean of
# interleaved rounds, the ratios, and how many plans the repeated calls prepared.
use strict;
use warnings;
use DBI;
use JSON::XS qw(encode_json decode_json);
use Time::HiRes qw(time);

my $db = DBI->connect('dbi:Pg:', undef, undef, { RaiseError => 1, AutoCommit => 1, PrintWarn => 0 });
$db->do($_) for (
    'CREATE EXTENSION IF NOT EXISTS data_bridge',
    'CREATE TABLE users (id int PRIMARY KEY, name text NOT NULL, email text)',
    'CREATE TABLE categories (id int PRIMARY KEY, name text NOT NULL)',
    'CREATE TABLE posts (id int PRIMARY KEY, title text NOT NULL, body text, author_id int REFERENCES users,
                         category_id int REFERENCES categories, created_at timestamptz DEFAULT now())',
    'CREATE TABLE comments (id int PRIMARY KEY, post_id int REFERENCES posts, author_id int REFERENCES users,
                            body text)',
    'CREATE INDEX ON posts (author_id)', 'CREATE INDEX ON comments (post_id)', 'CREATE INDEX ON comments (author_id)',
    "INSERT INTO users SELECT g, 'user ' || g, 'u' || g || '\@example.com' FROM generate_series(1, 2000) g",
    "INSERT INTO categories SELECT g, 'category ' || g FROM generate_series(1, 20) g",
    "INSERT INTO posts SELECT g, 'post ' || g, repeat('x', 200), 1 + g % 2000, 1 + g % 20 FROM generate_series(1, 20000) g",
    "INSERT INTO comments SELECT g, 1 + g % 20000, 1 + (g * 7) % 2000, 'comment ' || g FROM generate_series(1, 100000) g",
    'VACUUM ANALYZE');

my $relations = encode_json([
    { name => 'author', table => 'users', foreign_key => 'author_id' },
    { name => 'category', table => 'categories', foreign_key => 'category_id' },
    { name => 'comments', table => 'comments', foreign_key => 'post_id',
      relations => [ { name => 'author', table => 'users', foreign_key => 'author_id' } ] } ]);
my $data_bridge = $db->prepare('SELECT fetch_many_with_relations(\'posts\', $1::jsonb, order_by => \'"id"\', "limit" => $2)');

my $data_bridge_one = $db->prepare('SELECT fetch_one_with_relations(\'posts\', $1::int, $2::jsonb)');
# The json forms: the same text, written without building jsonb.
my $data_bridge_json = $db->prepare('SELECT fetch_many_with_relations_json(\'posts\', $1::jsonb, order_by => \'"id"\', "limit" => $2)');
my $data_bridge_json_one = $db->prepare('SELECT fetch_one_with_relations_json(\'posts\', $1::int, $2::jsonb)');

my $lateral = $db->prepare(q{
    SELECT COALESCE(jsonb_agg(doc ORDER BY id), '[]') FROM (
      SELECT p.id, to_jsonb(p) || jsonb_build_object('author', to_jsonb(a), 'category', to_jsonb(c),
                                                     'comments', cm.list) AS doc
      FROM (SELECT * FROM posts ORDER BY id LIMIT $1) p
      LEFT JOIN users a ON a.id = p.author_id
      LEFT JOIN categories c ON c.id = p.category_id
      CROSS JOIN LATERAL (
        SELECT COALESCE(jsonb_agg(to_jsonb(m) || jsonb_build_object('author', to_jsonb(ma)) ORDER BY m.id), '[]') AS list
        FROM comments m LEFT JOIN users ma ON ma.id = m.author_id
        WHERE m.post_id = p.id) cm) s});

my $lateral_one = $db->prepare(q{
    SELECT to_jsonb(p) || jsonb_build_object('author', to_jsonb(a), 'category', to_jsonb(c), 'comments', cm.list)
    FROM posts p
    LEFT JOIN users a ON a.id = p.author_id
    LEFT JOIN categories c ON c.id = p.category_id
    CROSS JOIN LATERAL (
      SELECT COALESCE(jsonb_agg(to_jsonb(m) || jsonb_build_object('author', to_jsonb(ma)) ORDER BY m.id), '[]') AS list
      FROM comments m LEFT JOIN users ma ON ma.id = m.author_id
      WHERE m.post_id = p.id) cm
    WHERE p.id = $1});

my %one = (
    posts => $db->prepare('SELECT * FROM posts ORDER BY id LIMIT $1'),
    user => $db->prepare('SELECT * FROM users WHERE id = $1'),
    category => $db->prepare('SELECT * FROM categories WHERE id = $1'),
    comments => $db->prepare('SELECT * FROM comments WHERE post_id = $1 ORDER BY id'),
    post => $db->prepare('SELECT * FROM posts WHERE id = $1'));

my $page = 100;                                     # posts per call
sub run_data_bridge {
    $data_bridge->execute($relations, $page); my ($json) = $data_bridge->fetchrow_array; return decode_json($json)
}
sub run_data_bridge_json {
    $data_bridge_json->execute($relations, $page); my ($json) = $data_bridge_json->fetchrow_array; return decode_json($json)
}
sub run_lateral { $lateral->execute($page); my ($json) = $lateral->fetchrow_array; return decode_json($json) }
sub with_relations {
    my ($posts) = @_;
    for my $post (@$posts) {
        $one{user}->execute($post->{author_id});
        $post->{author} = $one{user}->fetchrow_hashref;
        $one{category}->execute($post->{category_id});
        $post->{category} = $one{category}->fetchrow_hashref;
        $one{comments}->execute($post->{id});
        $post->{comments} = $one{comments}->fetchall_arrayref({});
        for my $comment (@{ $post->{comments} }) {
            $one{user}->execute($comment->{author_id});
            $comment->{author} = $one{user}->fetchrow_hashref;
        }
    }
    return $posts;
}
sub run_n_plus_one {
    $one{posts}->execute($page);
    return with_relations($one{posts}->fetchall_arrayref({}));
}
my $post_id = 0;                                    # a different post on every call
sub next_post { $post_id = 1 + ($post_id * 7919 + 13) % 20000; return $post_id }
sub run_data_bridge_one {
    $data_bridge_one->execute(next_post(), $relations);
    my ($json) = $data_bridge_one->fetchrow_array; return decode_json($json)
}
sub run_data_bridge_json_one {
    $data_bridge_json_one->execute(next_post(), $relations);
    my ($json) = $data_bridge_json_one->fetchrow_array; return decode_json($json)
}
sub run_lateral_one {
    $lateral_one->execute(next_post()); my ($json) = $lateral_one->fetchrow_array; return decode_json($json)
}
sub run_n_plus_one_one {
    $one{post}->execute(next_post());
    return with_relations($one{post}->fetchall_arrayref({}))->[0];
}

# All three give the same 100 posts and 500 comments. The first calls prepare the plans.
my ($first) = $db->selectrow_array('SELECT plans_prepared FROM plan_cache_stats()');
my ($a, $b, $c) = (run_data_bridge(), run_lateral(), run_n_plus_one());
die "json form differs\n" unless $data_bridge->execute($relations, $page)
    && $data_bridge_json->execute($relations, $page)
    && ($data_bridge->fetchrow_array)[0] eq ($data_bridge_json->fetchrow_array)[0];
my $comments = 0; $comments += scalar @{ $_->{comments} } for @$a;
die "results differ\n" unless @$a == 100 && @$b == 100 && @$c == 100
    && encode_json([map { [$_->{id}, $_->{author}{name}, scalar @{ $_->{comments} }] } @$a])
    eq encode_json([map { [$_->{id}, $_->{author}{name}, scalar @{ $_->{comments} }] } @$b]);
printf "100 posts, %d comments, each with author; 1 call vs 1 statement vs %d queries\n",
    $comments, 1 + 300 + $comments;

my $canonical = JSON::XS->new->canonical;
my $one_post = $canonical->encode(run_data_bridge_one());
$post_id = 0; die "one post differs (json)\n" unless $one_post eq $canonical->encode(run_data_bridge_json_one());
$post_id = 0; die "one post differs\n" unless $one_post eq $canonical->encode(run_lateral_one());
$post_id = 0;
my ($prepared) = $db->selectrow_array('SELECT plans_prepared FROM plan_cache_stats()');
printf "the first calls of the two shapes prepared %d plans; the timed calls below prepare none\n",
    $prepared - $first;

sub compare {
    my ($title, $rounds, %runs) = @_;
    my %total = map { $_ => 0 } keys %runs;
    my ($before) = $db->selectrow_array('SELECT plans_prepared FROM plan_cache_stats()');
    for my $round (1 .. $rounds) {                  # interleaved: noise hits every side alike
        for my $name (qw(data_bridge data_bridge_json lateral n_plus_one)) {
            my $started = time;
            $runs{$name}->();
            $total{$name} += time - $started;
        }
    }
    my ($after) = $db->selectrow_array('SELECT plans_prepared FROM plan_cache_stats()');
    my %ms = map { $_ => 1000 * $total{$_} / $rounds } keys %total;
    print "\n$title ($rounds rounds)\n";
    printf "%-48s %10s %s\n", 'approach', 'ms/call', 'ratio (data_bridge / approach; json form / approach)';
    printf "%-48s %10.3f\n", 'data_bridge (jsonb)', $ms{data_bridge};
    printf "%-48s %10.3f %.2f (json form / jsonb form)\n", 'data_bridge, json form', $ms{data_bridge_json},
        $ms{data_bridge_json} / $ms{data_bridge};
    printf "%-48s %10.3f %.2f; %.2f\n", 'hand-written LATERAL + jsonb_agg, prepared', $ms{lateral},
        $ms{data_bridge} / $ms{lateral}, $ms{data_bridge_json} / $ms{lateral};
    printf "%-48s %10.3f %.3f; %.3f  (%.1fx; %.1fx faster)\n", 'N+1 loop from the client (prepared queries)',
        $ms{n_plus_one}, $ms{data_bridge} / $ms{n_plus_one}, $ms{data_bridge_json} / $ms{n_plus_one},
        $ms{n_plus_one} / $ms{data_bridge}, $ms{n_plus_one} / $ms{data_bridge_json};
    printf "plans prepared during these %d calls: %d (every call reused the first call's)\n",
        $rounds, $after - $before;
}

compare('fetch_many_with_relations: 100 posts', 30,
        data_bridge => \&run_data_bridge, data_bridge_json => \&run_data_bridge_json, lateral => \&run_lateral, n_plus_one => \&run_n_plus_one);
$page = 2000;
compare('fetch_many_with_relations: 2,000 posts (about 10,000 comments)', 5,
        data_bridge => \&run_data_bridge, data_bridge_json => \&run_data_bridge_json, lateral => \&run_lateral, n_plus_one => \&run_n_plus_one);
compare('fetch_one_with_relations: one post by id, a different one each call', 300,
        data_bridge => \&run_data_bridge_one, data_bridge_json => \&run_data_bridge_json_one, lateral => \&run_lateral_one,
        n_plus_one => \&run_n_plus_one_one);
