#!/usr/bin/env python3
"""data_bridge from Python (psycopg2): the sample blog schema (demo/sample_schema.sql).

1. A post with its author and comments (and their authors) in one call.
2. A cascade delete inside a transaction, undone to a savepoint.
3. A RESTRICT refusal caught by its SQLSTATE (23503), as for a plain DELETE.

Connects with the usual PG* environment variables.
"""
import json

import psycopg2
import psycopg2.errorcodes
import psycopg2.extras

connection = psycopg2.connect("")
cursor = connection.cursor()

# 1. Eager loading: the parameter goes as the driver sends it, no cast needed.
relations = [
    {"name": "author", "table": "users", "select_columns": ["id", "name"]},
    {"name": "comments", "table": "comments", "order_by": "id",
     "relations": [{"name": "author", "table": "users", "select_columns": ["name"]}]},
]
cursor.execute("SELECT fetch_one_with_relations('posts', %s, %s)", (1, json.dumps(relations)))
post = cursor.fetchone()[0]
print(f"post {post['id']}: {post['title']} by {post['author']['name']}, "
      f"{len(post['comments'])} comments: "
      + ", ".join(f"{c['author']['name']} says {c['content']!r}" for c in post["comments"]))

# 2. A cascade delete in a transaction; a savepoint undoes it.
cursor.execute("SAVEPOINT before_delete")
cursor.execute("SELECT delete_with_cascade('users', %s)", (1,))
print(f"deleting user 1 deletes {cursor.fetchone()[0]} rows")
cursor.execute("ROLLBACK TO SAVEPOINT before_delete")
cursor.execute("SELECT count(*) FROM posts WHERE author_id = %s", (1,))
print(f"after ROLLBACK TO SAVEPOINT user 1 still has {cursor.fetchone()[0]} posts")

# 3. A RESTRICT refusal: PostgreSQL's own foreign_key_violation, with its constraint name.
cursor.execute("SAVEPOINT before_restrict")
try:
    cursor.execute("SELECT delete_checked('categories', %s)", (1,))
except psycopg2.errors.ForeignKeyViolation as error:
    print(f"category 1 is kept: {error.pgcode} {error.diag.constraint_name} "
          f"({psycopg2.errorcodes.lookup(error.pgcode)})")
    cursor.execute("ROLLBACK TO SAVEPOINT before_restrict")

connection.rollback()
connection.close()
