#!/usr/bin/env perl
# Nested writes, from a client program (DBI), side by side in one run: 100 posts, each with 5
# comments and 3 tags (2 new, 1 existing), written
#   by insert_with_relations: one call, returning the stored tree;
#   by the best hand-written data-modifying CTE: one statement, returning the stored posts;
#   by the client loop: one INSERT ... RETURNING per row (and a SELECT per existing tag).
# Every round runs in a transaction that is rolled back, so each writes into the same tables;
# the rounds interleave the three so that noise hits each alike. Prints mean ms and ratios.
use strict;
use warnings;
use DBI;
use JSON::XS qw(encode_json);
use Time::HiRes qw(time);

my $db = DBI->connect('dbi:Pg:', undef, undef, { RaiseError => 1, AutoCommit => 1, PrintWarn => 0 });
$db->do($_) for (
    'CREATE EXTENSION IF NOT EXISTS data_bridge',
    'CREATE TABLE users (id serial PRIMARY KEY, name text NOT NULL)',
    'CREATE TABLE posts (id serial PRIMARY KEY, title text NOT NULL UNIQUE, author_id int NOT NULL REFERENCES users,
                         created_at timestamptz NOT NULL DEFAULT now())',
    'CREATE TABLE comments (id serial PRIMARY KEY, post_id int NOT NULL REFERENCES posts, body text NOT NULL)',
    'CREATE TABLE tags (id serial PRIMARY KEY, name text NOT NULL UNIQUE)',
    'CREATE TABLE post_tags (post_id int REFERENCES posts, tag_id int REFERENCES tags, PRIMARY KEY (post_id, tag_id))',
    'CREATE INDEX ON posts (author_id)', 'CREATE INDEX ON comments (post_id)', 'CREATE INDEX ON post_tags (tag_id)',
    "INSERT INTO users (name) SELECT 'user ' || g FROM generate_series(1, 100) g",
    "INSERT INTO tags (name) SELECT 'base ' || g FROM generate_series(1, 20) g",
    'VACUUM ANALYZE');

my $round = 0;
sub document {
    $round++;
    return [ map {
        my $p = $_;
        { title => "post $round-$p", author_id => 1 + $p % 100,
          comments => [ map { { body => "comment $_ on $round-$p" } } 1 .. 5 ],
          tags => [ { connect => { name => 'base ' . (1 + $p % 20) } },
                    { name => "tag $round-$p-a" }, { name => "tag $round-$p-b" } ] }
    } 1 .. 100 ];
}

my $relations = encode_json([ { name => 'tags', table => 'tags', through => 'post_tags' } ]);
my $data_bridge = $db->prepare('SELECT insert_with_relations(\'posts\', $1::jsonb, $2::jsonb)');
my $cte = $db->prepare(q{
    WITH input AS (SELECT e.doc FROM jsonb_array_elements($1::jsonb) AS e(doc)),
    new_posts AS (INSERT INTO posts (title, author_id)
                  SELECT doc ->> 'title', (doc ->> 'author_id')::int FROM input RETURNING *),
    post_docs AS (SELECT p.id, i.doc FROM new_posts p JOIN input i ON i.doc ->> 'title' = p.title),
    new_comments AS (INSERT INTO comments (post_id, body)
                     SELECT d.id, c ->> 'body' FROM post_docs d, jsonb_array_elements(d.doc -> 'comments') c
                     RETURNING 1),
    wanted AS (SELECT d.id AS post_id, t FROM post_docs d, jsonb_array_elements(d.doc -> 'tags') t),
    new_tags AS (INSERT INTO tags (name) SELECT t ->> 'name' FROM wanted WHERE t -> 'name' IS NOT NULL RETURNING id, name),
    links AS (INSERT INTO post_tags (post_id, tag_id)
              SELECT w.post_id, coalesce(n.id, o.id) FROM wanted w
              LEFT JOIN new_tags n ON n.name = w.t ->> 'name'
              LEFT JOIN tags o ON o.name = w.t -> 'connect' ->> 'name'
              RETURNING 1)
    SELECT jsonb_agg(to_jsonb(p)), (SELECT count(*) FROM new_comments), (SELECT count(*) FROM links)
    FROM new_posts p});
my $insert_post = $db->prepare('INSERT INTO posts (title, author_id) VALUES ($1, $2) RETURNING *');
my $insert_comment = $db->prepare('INSERT INTO comments (post_id, body) VALUES ($1, $2) RETURNING *');
my $insert_tag = $db->prepare('INSERT INTO tags (name) VALUES ($1) RETURNING *');
my $find_tag = $db->prepare('SELECT * FROM tags WHERE name = $1');
my $insert_link = $db->prepare('INSERT INTO post_tags (post_id, tag_id) VALUES ($1, $2)');

sub run_data_bridge { my ($doc) = @_; $data_bridge->execute(encode_json($doc), $relations); $data_bridge->fetchrow_array }
sub run_cte { my ($doc) = @_; $cte->execute(encode_json($doc)); $cte->fetchrow_array }
sub run_loop {
    my ($doc) = @_;
    for my $post (@$doc) {
        $insert_post->execute($post->{title}, $post->{author_id});
        my $stored = $insert_post->fetchrow_hashref;
        for my $comment (@{ $post->{comments} }) {
            $insert_comment->execute($stored->{id}, $comment->{body});
            $insert_comment->fetchrow_hashref;
        }
        for my $tag (@{ $post->{tags} }) {
            my $row;
            if ($tag->{connect}) {
                $find_tag->execute($tag->{connect}{name});
                $row = $find_tag->fetchrow_hashref;
            } else {
                $insert_tag->execute($tag->{name});
                $row = $insert_tag->fetchrow_hashref;
            }
            $insert_link->execute($stored->{id}, $row->{id});
        }
    }
}

# The same rows either way (checked once, each in its own rolled-back transaction).
sub contents {
    my ($row) = $db->selectrow_array(q{
        SELECT jsonb_agg(jsonb_build_object('title', p.title, 'author', p.author_id,
            'comments', (SELECT jsonb_agg(body ORDER BY body) FROM comments c WHERE c.post_id = p.id),
            'tags', (SELECT jsonb_agg(t.name ORDER BY t.name) FROM post_tags pt JOIN tags t ON t.id = pt.tag_id
                     WHERE pt.post_id = p.id)) ORDER BY p.title) FROM posts p});
    return $row;
}
my %seen;
for my $name (qw(data_bridge cte loop)) {
    my $doc = document();
    $round--;  # the same titles for each
    $db->begin_work;
    { no strict 'refs'; &{"run_$name"}($doc); }
    $seen{$name} = contents();
    $db->rollback;
}
die "the approaches wrote different rows\n" unless $seen{data_bridge} eq $seen{cte} && $seen{cte} eq $seen{loop};

my $rounds = 30;
my %total = (data_bridge => 0, cte => 0, loop => 0);
for my $r (1 .. $rounds) {
    for my $name (qw(data_bridge cte loop)) {
        my $doc = document();
        $db->begin_work;
        my $start = time;
        { no strict 'refs'; &{"run_$name"}($doc); }
        $total{$name} += time - $start;
        $db->rollback;
    }
}
my %ms = map { $_ => 1000 * $total{$_} / $rounds } keys %total;
print "100 posts x (5 comments + 3 tags, 2 new and 1 existing): $rounds rounds\n";
printf "%-58s %10s %s\n", 'approach', 'ms/call', 'ratio (data_bridge / approach)';
printf "%-58s %10.3f %s\n", 'insert_with_relations (returns the stored tree)', $ms{data_bridge}, '1.00';
printf "%-58s %10.3f %.2f\n", 'hand-written data-modifying CTE (returns the posts)', $ms{cte}, $ms{data_bridge} / $ms{cte};
printf "%-58s %10.3f %.3f  (%.1fx faster)\n", 'client loop, one INSERT ... RETURNING per row (1,200)', $ms{loop},
    $ms{data_bridge} / $ms{loop}, $ms{loop} / $ms{data_bridge};
