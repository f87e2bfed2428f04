-- The sample blog schema of the README and the demo: every kind of ON DELETE rule.
CREATE TABLE users (
    id    serial PRIMARY KEY,
    name  text NOT NULL,
    email text UNIQUE NOT NULL
);

CREATE TABLE profiles (
    id      serial PRIMARY KEY,
    user_id integer UNIQUE REFERENCES users (id) ON DELETE SET NULL ON UPDATE CASCADE,
    bio     text
);

CREATE TABLE categories (
    id   serial PRIMARY KEY,
    name text UNIQUE NOT NULL,
    slug text UNIQUE NOT NULL
);

CREATE TABLE posts (
    id          serial PRIMARY KEY,
    title       text NOT NULL,
    content     text,
    author_id   integer NOT NULL REFERENCES users (id) ON DELETE CASCADE ON UPDATE CASCADE,
    category_id integer REFERENCES categories (id) ON DELETE RESTRICT,
    created_at  timestamp NOT NULL DEFAULT '2025-01-01 12:00'
);
CREATE INDEX posts_author_id_idx ON posts (author_id);

CREATE TABLE comments (
    id        serial PRIMARY KEY,
    post_id   integer NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    author_id integer REFERENCES users (id) ON DELETE SET NULL,
    content   text NOT NULL
);
CREATE INDEX comments_post_id_idx ON comments (post_id);

-- Many-to-many: posts and their tags through a junction.
CREATE TABLE tags (
    id   serial PRIMARY KEY,
    name text UNIQUE NOT NULL
);

CREATE TABLE post_tags (
    post_id integer REFERENCES posts (id) ON DELETE CASCADE,
    tag_id  integer REFERENCES tags (id) ON DELETE CASCADE,
    added   date NOT NULL DEFAULT '2025-01-02',
    PRIMARY KEY (post_id, tag_id)
);
CREATE INDEX post_tags_tag_id_idx ON post_tags (tag_id);

INSERT INTO users (name, email) VALUES
    ('Alice', 'alice@example.com'),
    ('Bob', 'bob@example.com'),
    ('Carol', 'carol@example.com');
INSERT INTO profiles (user_id, bio) VALUES (1, 'Writes about databases'), (2, 'Reads everything');
INSERT INTO categories (name, slug) VALUES ('Technology', 'tech'), ('Travel', 'travel');
INSERT INTO posts (title, content, author_id, category_id) VALUES
    ('Foreign keys in practice', 'Indexes first.', 1, 1),
    ('Cascades without surprises', 'Know your rules.', 1, 1),
    ('A week in Lisbon', 'Pastéis de nata.', 2, 2),
    ('Draft', NULL, 3, NULL);
INSERT INTO comments (post_id, author_id, content) VALUES
    (1, 2, 'Great read'),
    (1, 3, 'Which index type?'),
    (2, 2, 'Bookmarked'),
    (3, 1, 'Take me with you');
INSERT INTO tags (name) VALUES ('postgresql'), ('design'), ('travel');
INSERT INTO post_tags (post_id, tag_id) VALUES (1, 1), (1, 2), (2, 1), (3, 3);
