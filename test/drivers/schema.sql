-- The schema the driver tests call data_bridge on: keys of several types, a composite key.
CREATE TABLE dr_users (id integer PRIMARY KEY, name text NOT NULL);
CREATE TABLE dr_posts (id bigint PRIMARY KEY, user_id integer REFERENCES dr_users ON DELETE CASCADE,
                       title text);
CREATE TABLE dr_tags (id uuid PRIMARY KEY, label text);
CREATE TABLE dr_days (day date PRIMARY KEY, note text);
CREATE TABLE dr_pairs (a integer, b text, label text, PRIMARY KEY (a, b));
CREATE TABLE dr_pair_notes (id integer PRIMARY KEY, a integer, b text,
                            FOREIGN KEY (a, b) REFERENCES dr_pairs ON DELETE CASCADE);
INSERT INTO dr_users VALUES (1, 'Ada'), (2, 'Brian'), (3, 'Chen');
INSERT INTO dr_posts VALUES (10, 1, 'first'), (11, 1, 'second'), (20, 2, 'third');
INSERT INTO dr_tags VALUES ('6f1c0a6e-8d1e-4b8a-9d3c-2f2b1c0d9e01', 'sql');
INSERT INTO dr_days VALUES ('2024-02-29', 'leap');
INSERT INTO dr_pairs VALUES (1, 'x', 'one x'), (2, 'y', 'two y');
INSERT INTO dr_pair_notes VALUES (1, 1, 'x'), (2, 2, 'y');
