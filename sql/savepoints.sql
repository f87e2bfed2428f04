-- The guide's "Savepoints - Partial Rollback" examples and its safe-deletion pattern, written as
-- SQL around data_bridge's functions, each ending in the state the guide describes.
\set SHOW_CONTEXT never

CREATE TABLE users (id serial PRIMARY KEY, name varchar(255) NOT NULL, email varchar(255));
CREATE TABLE posts (id serial PRIMARY KEY, title varchar(255), user_id integer REFERENCES users (id));
CREATE TABLE profiles (id serial PRIMARY KEY, user_id integer REFERENCES users (id), bio text);

-- Basic savepoint: the posts are rolled back, only the user is saved.
BEGIN;
SELECT insert_one('users', '{"name": "Alice", "email": "alice@example.com"}') ->> 'id' AS alice \gset
SAVEPOINT before_posts;
SELECT insert_one('posts', jsonb_build_object('title', 'Post 1', 'user_id', :alice)) IS NOT NULL AS inserted;
SELECT insert_one('posts', jsonb_build_object('title', 'Post 2', 'user_id', :alice)) IS NOT NULL AS inserted;
ROLLBACK TO SAVEPOINT before_posts;
COMMIT;
SELECT (SELECT count(*) FROM users WHERE name = 'Alice') AS users,
       backref_count('posts', 'user_id', :alice) AS posts;

-- Context-manager style: released on success, rolled back on failure.
BEGIN;
SELECT insert_one('users', '{"name": "Bob"}') ->> 'id' AS bob \gset
SAVEPOINT risky_operation;
SELECT insert_one('posts', jsonb_build_object('title', 'Safe Post', 'user_id', :bob)) IS NOT NULL AS inserted;
RELEASE SAVEPOINT risky_operation;
SAVEPOINT failing_operation;
SELECT insert_one('posts', '{"title": "Bad Post", "user_id": 999}');
ROLLBACK TO SAVEPOINT failing_operation;
COMMIT;
SELECT p ->> 'title' AS bobs_posts FROM jsonb_array_elements(backref_fetch_all('posts', 'user_id', :bob)) p;

-- Nested savepoints: rolling back to sp1 removes Post 1 and Post 2; Post 3 stays.
BEGIN;
SELECT insert_one('users', '{"name": "Carol"}') ->> 'id' AS carol \gset
SAVEPOINT sp1;
SELECT insert_one('posts', jsonb_build_object('title', 'Post 1', 'user_id', :carol)) IS NOT NULL AS inserted;
SAVEPOINT sp2;
SELECT insert_one('posts', jsonb_build_object('title', 'Post 2', 'user_id', :carol)) IS NOT NULL AS inserted;
ROLLBACK TO SAVEPOINT sp1;
SELECT insert_one('posts', jsonb_build_object('title', 'Post 3', 'user_id', :carol)) IS NOT NULL AS inserted;
COMMIT;
SELECT p ->> 'title' AS carols_posts FROM jsonb_array_elements(backref_fetch_all('posts', 'user_id', :carol)) p;

-- Sequential savepoints: Post 1 and Post 3 are kept, Post 2 discarded.
BEGIN;
SELECT insert_one('users', '{"name": "Dave"}') ->> 'id' AS dave \gset
SAVEPOINT sp1;
SELECT insert_one('posts', jsonb_build_object('title', 'Post 1', 'user_id', :dave)) IS NOT NULL AS inserted;
RELEASE SAVEPOINT sp1;
SAVEPOINT sp2;
SELECT insert_one('posts', jsonb_build_object('title', 'Post 2', 'user_id', :dave)) IS NOT NULL AS inserted;
ROLLBACK TO SAVEPOINT sp2;
SAVEPOINT sp3;
SELECT insert_one('posts', jsonb_build_object('title', 'Post 3', 'user_id', :dave)) IS NOT NULL AS inserted;
RELEASE SAVEPOINT sp3;
COMMIT;
SELECT p ->> 'title' AS daves_posts FROM jsonb_array_elements(backref_fetch_all('posts', 'user_id', :dave)) p;

-- The complex workflow: posts fail validation and roll back, the profile is kept.
BEGIN;
SELECT insert_one('users', '{"name": "Charlie", "email": "charlie@example.com"}') ->> 'id' AS charlie \gset
SAVEPOINT posts_operation;
SELECT insert_many('posts', jsonb_build_array(jsonb_build_object('title', 'Post 1', 'user_id', :charlie),
                                              jsonb_build_object('title', 'Post 2', 'user_id', :charlie))) IS NOT NULL AS inserted;
-- validation fails
ROLLBACK TO SAVEPOINT posts_operation;
SAVEPOINT profile_operation;
SELECT insert_one('profiles', jsonb_build_object('user_id', :charlie, 'bio', 'Developer')) IS NOT NULL AS inserted;
RELEASE SAVEPOINT profile_operation;
COMMIT;
SELECT (SELECT count(*) FROM users WHERE name = 'Charlie') AS users,
       backref_count('posts', 'user_id', :charlie) AS posts,
       backref_count('profiles', 'user_id', :charlie) AS profiles;

-- The guide's Troubleshooting issue 4: a released savepoint cannot be rolled back to.
BEGIN;
SAVEPOINT sp1;
RELEASE SAVEPOINT sp1;
ROLLBACK TO SAVEPOINT sp1;
ROLLBACK;

-- Pattern 4, safe deletion: delete_with_cascade inside a savepoint, verified, and undone when
-- the check fails. posts.user_id has no ON DELETE rule (NO ACTION), so the cascade refuses first;
-- with the rule changed to CASCADE it deletes, the check passes, and a later failure still rolls
-- back to the savepoint.
BEGIN;
SAVEPOINT before_delete;
SELECT delete_with_cascade('users', :dave);
ROLLBACK TO SAVEPOINT before_delete;
ALTER TABLE posts DROP CONSTRAINT posts_user_id_fkey,
    ADD CONSTRAINT posts_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE;
SAVEPOINT before_delete;
SELECT delete_with_cascade('users', :dave) AS deleted;
SELECT backref_count('posts', 'user_id', :dave) AS remaining_posts;
ROLLBACK TO SAVEPOINT before_delete;   -- "unexpected state": undo the delete
COMMIT;
SELECT backref_count('posts', 'user_id', :dave) AS posts_back,
       (SELECT count(*) FROM users WHERE id = :dave) AS dave_back;

-- Nothing data_bridge caches survives a rolled-back savepoint: DDL undone there is undone in
-- every later answer.
BEGIN;
SAVEPOINT ddl;
ALTER TABLE profiles DROP CONSTRAINT profiles_user_id_fkey;
ALTER TABLE profiles RENAME COLUMN user_id TO owner_id;
SELECT count(*) AS keys_into_users FROM get_backreferences('users');
SELECT backref_count('profiles', 'owner_id', :charlie) AS by_new_name;
ROLLBACK TO SAVEPOINT ddl;
SELECT count(*) AS keys_into_users FROM get_backreferences('users');
SELECT backref_count('profiles', 'user_id', :charlie) AS by_old_name;
SELECT fetch_related('profiles', 1, 'user_id') ->> 'name' AS profile_owner;
COMMIT;
-- A table dropped and created again under the same name, in a rolled-back transaction.
BEGIN;
DROP TABLE profiles;
CREATE TABLE profiles (id text PRIMARY KEY, user_id integer, bio text);
SELECT insert_one('profiles', '{"id": "p1", "bio": "new shape"}') ->> 'id' AS new_shape;
ROLLBACK;
SELECT insert_one('profiles', jsonb_build_object('user_id', :charlie, 'bio', 'old shape')) ->> 'bio' AS old_shape;

DROP TABLE users, posts, profiles CASCADE;
