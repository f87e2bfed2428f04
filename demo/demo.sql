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

\echo '== Which foreign keys lack the index their cascades need? unindexed_foreign_keys()'
SELECT constraint_name, source_table, source_columns, target_table, on_delete, create_index_statement
FROM unindexed_foreign_keys();

\echo '== Add a foreign key the guide''s way, with its index: add_foreign_key()'
CREATE TABLE bookmarks (id serial PRIMARY KEY, user_id integer, post_id integer);
SELECT add_foreign_key('bookmarks', 'user_id', 'users.id', on_delete => 'CASCADE') AS added;
SELECT add_foreign_key('bookmarks', 'post_id', 'posts', on_delete => 'cascade', nullable => false) AS added;
SELECT constraint_name, source_column, target_table, on_delete, is_indexed
FROM get_references('bookmarks');

\echo '== Lazy loading: the author of post 1, the category it references'
SELECT fetch_referenced('users', 'id', author_id) ->> 'name' AS author,
       fetch_related('posts', id, 'category_id') ->> 'name' AS category
FROM posts WHERE id = 1;

\echo '== Back references: the titles of Alice''s posts (title descending), and how many'
SELECT jsonb_path_query_array(backref_fetch_all('posts', 'author_id', 1, order_by => '["title", "DESC"]',
                                                "limit" => 10), '$[*].title') AS titles,
       backref_count('posts', 'author_id', 1) AS post_count;

\echo '== JSON writes: insert_many with per-row savepoints (on_error => ''skip'')'
SELECT jsonb_pretty(insert_many('comments', '[
    {"post_id": 2, "author_id": 3, "content": "Saved"},
    {"post_id": 99, "author_id": 3, "content": "No such post"}
]', on_error => 'skip'));

\echo '== Nested writes: a post with its comments and tags (one existing, one new), one call'
SELECT jsonb_pretty(insert_with_relations('posts', '{"title": "Writing trees", "author_id": 2,
    "comments": [{"content": "First!"}], "tags": [{"connect": {"name": "postgresql"}}, {"name": "json"}]}',
    '[{"name": "tags", "table": "tags", "through": "post_tags"}]'));

\echo '== Eager loading: every post with its author, category and comments (with their authors), one call'
SELECT jsonb_pretty(fetch_many_with_relations('posts', '[
    {"name": "author", "table": "users", "foreign_key": "author_id", "select_columns": ["name"]},
    {"name": "category", "table": "categories", "select_columns": ["name"]},
    {"name": "comments", "table": "comments", "foreign_key": "post_id", "select_columns": ["content"],
     "relations": [{"name": "author", "table": "users", "foreign_key": "author_id", "select_columns": ["name"]}]}
]', order_by => '"id"', "limit" => 2));

\echo '== Many-to-many: each post''s tags through post_tags, and each tag''s post count'
SELECT fetch_many_with_relations('posts', '[{"name": "tags", "table": "tags", "through": "post_tags",
    "select_columns": ["name"], "order_by": "name"}]', order_by => '"id"', "limit" => 2);
SELECT fetch_many_with_relations('tags', '[{"name": "posts", "table": "posts", "through": "post_tags",
    "count": true}]', order_by => '"name"');

\echo '== Cascade deletes: what would deleting Alice do? delete_plan(''users'', 1)'
SELECT depth, path, table_name, action, "rows", blocks FROM delete_plan('users', 1);

\echo '== A category still used by posts: delete_checked refuses, naming the blocker'
\set ON_ERROR_STOP off
SELECT delete_checked('categories', 1);
\set ON_ERROR_STOP on

\echo '== Deleting Alice with everything that cascades: delete_with_cascade(''users'', 1)'
SELECT delete_with_cascade('users', 1) AS rows_deleted;
SELECT (SELECT count(*) FROM posts) AS posts_left, (SELECT count(*) FROM comments) AS comments_left;

