// data_bridge from Node.js (node-postgres): the sample blog schema (demo/sample_schema.sql).
//
// 1. A post with its author and comments (and their authors) in one call.
// 2. A cascade delete inside a transaction, undone to a savepoint.
// 3. A RESTRICT refusal caught by its SQLSTATE (23503), as for a plain DELETE.
//
// Connects with the usual PG* environment variables.
const { Client } = require('pg');

(async () => {
  const client = new Client();
  await client.connect();
  await client.query('BEGIN');

  // 1. Eager loading: parameters go untyped, as node-postgres sends them.
  const relations = [
    { name: 'author', table: 'users', select_columns: ['id', 'name'] },
    { name: 'comments', table: 'comments', order_by: 'id',
      relations: [{ name: 'author', table: 'users', select_columns: ['name'] }] },
  ];
  const { rows: [{ post }] } = await client.query(
    "SELECT fetch_one_with_relations('posts', $1, $2) AS post", [1, JSON.stringify(relations)]);
  const said = post.comments.map((c) => `${c.author.name} says '${c.content}'`).join(', ');
  console.log(`post ${post.id}: ${post.title} by ${post.author.name}, ` +
              `${post.comments.length} comments: ${said}`);

  // 2. A cascade delete in a transaction; a savepoint undoes it.
  await client.query('SAVEPOINT before_delete');
  const { rows: [{ deleted }] } = await client.query(
    "SELECT delete_with_cascade('users', $1) AS deleted", [1]);
  console.log(`deleting user 1 deletes ${deleted} rows`);
  await client.query('ROLLBACK TO SAVEPOINT before_delete');
  const { rows: [{ count }] } = await client.query(
    'SELECT count(*) FROM posts WHERE author_id = $1', [1]);
  console.log(`after ROLLBACK TO SAVEPOINT user 1 still has ${count} posts`);

  // 3. A RESTRICT refusal: PostgreSQL's own foreign_key_violation, with its constraint name.
  await client.query('SAVEPOINT before_restrict');
  try {
    await client.query("SELECT delete_checked('categories', $1)", [1]);
  } catch (error) {
    if (error.code !== '23503') throw error;
    console.log(`category 1 is kept: ${error.code} ${error.constraint} (FOREIGN_KEY_VIOLATION)`);
    await client.query('ROLLBACK TO SAVEPOINT before_restrict');
  }

  await client.query('ROLLBACK');
  await client.end();
})().catch((error) => { console.error(error); process.exit(1); });
