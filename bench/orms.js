// Eager loading from Node.js, side by side in one run with the ORMs a Node.js developer would pick
// instead: 100 and 2,000 posts, each with its author, category and comments (each with its
// author), parsed into JavaScript objects.
//   data_bridge: one call of fetch_many_with_relations through node-postgres (also its json form,
//   and the json form with each user and category sent once, put back in place by the client);
//   Drizzle ORM: its relational query (db.query.posts.findMany with `with`), one SQL statement;
//   Objection.js: withGraphFetched, one query per relation level.
// Pinned versions in bench/node/package.json. Rounds interleave the three so noise hits each alike;
// prints the mean ms per load and the ratios. Run by scripts/bench.sh orms.
'use strict';
const path = require('path');
const nodeModules = path.join(__dirname, 'node', 'node_modules');
const { Pool } = require(path.join(nodeModules, 'pg'));
const { drizzle } = require(path.join(nodeModules, 'drizzle-orm', 'node-postgres'));
const { relations } = require(path.join(nodeModules, 'drizzle-orm'));
const { pgTable, integer, text, timestamp } = require(path.join(nodeModules, 'drizzle-orm', 'pg-core'));
const Knex = require(path.join(nodeModules, 'knex'));
const { Model } = require(path.join(nodeModules, 'objection'));

const users = pgTable('users', { id: integer('id').primaryKey(), name: text('name').notNull(), email: text('email') });
const categories = pgTable('categories', { id: integer('id').primaryKey(), name: text('name').notNull() });
const posts = pgTable('posts', {
  id: integer('id').primaryKey(), title: text('title').notNull(), body: text('body'),
  author_id: integer('author_id'), category_id: integer('category_id'),
  created_at: timestamp('created_at', { withTimezone: true, mode: 'string' }),
});
const comments = pgTable('comments', {
  id: integer('id').primaryKey(), post_id: integer('post_id'), author_id: integer('author_id'), body: text('body'),
});
const postsRelations = relations(posts, ({ one, many }) => ({
  author: one(users, { fields: [posts.author_id], references: [users.id] }),
  category: one(categories, { fields: [posts.category_id], references: [categories.id] }),
  comments: many(comments),
}));
const commentsRelations = relations(comments, ({ one }) => ({
  post: one(posts, { fields: [comments.post_id], references: [posts.id] }),
  author: one(users, { fields: [comments.author_id], references: [users.id] }),
}));

class User extends Model { static get tableName() { return 'users'; } }
class Category extends Model { static get tableName() { return 'categories'; } }
class Comment extends Model {
  static get tableName() { return 'comments'; }
  static get relationMappings() {
    return { author: { relation: Model.BelongsToOneRelation, modelClass: User, join: { from: 'comments.author_id', to: 'users.id' } } };
  }
}
class Post extends Model {
  static get tableName() { return 'posts'; }
  static get relationMappings() {
    return {
      author: { relation: Model.BelongsToOneRelation, modelClass: User, join: { from: 'posts.author_id', to: 'users.id' } },
      category: { relation: Model.BelongsToOneRelation, modelClass: Category, join: { from: 'posts.category_id', to: 'categories.id' } },
      comments: { relation: Model.HasManyRelation, modelClass: Comment, join: { from: 'posts.id', to: 'comments.post_id' } },
    };
  }
}

async function main() {
  const pool = new Pool({ max: 1 });
  await pool.query(`
    CREATE EXTENSION IF NOT EXISTS data_bridge;
    CREATE TABLE users (id int PRIMARY KEY, name text NOT NULL, email text);
    CREATE TABLE categories (id int PRIMARY KEY, name text NOT NULL);
    CREATE TABLE posts (id int PRIMARY KEY, title text NOT NULL, body text, author_id int REFERENCES users,
                        category_id int REFERENCES categories, created_at timestamptz DEFAULT '2026-01-01');
    CREATE TABLE comments (id int PRIMARY KEY, post_id int REFERENCES posts, author_id int REFERENCES users, body text);
    CREATE INDEX ON posts (author_id); CREATE INDEX ON comments (post_id); CREATE INDEX ON comments (author_id);
    INSERT INTO users SELECT g, 'user ' || g, 'u' || g || '@example.com' FROM generate_series(1, 2000) g;
    INSERT INTO categories SELECT g, 'category ' || g FROM generate_series(1, 20) g;
    INSERT INTO posts SELECT g, 'post ' || g, repeat('x', 200), 1 + g % 2000, 1 + g % 20 FROM generate_series(1, 20000) g;
    INSERT INTO comments SELECT g, 1 + g % 20000, 1 + (g * 7) % 2000, 'comment ' || g FROM generate_series(1, 100000) g;
    ANALYZE;`);

  const db = drizzle(pool, { schema: { users, categories, posts, comments, postsRelations, commentsRelations } });
  const knex = Knex({ client: 'pg', connection: {}, pool: { min: 1, max: 1 } });
  Model.knex(knex);

  const spec = JSON.stringify([
    { name: 'author', table: 'users', foreign_key: 'author_id' },
    { name: 'category', table: 'categories', foreign_key: 'category_id' },
    { name: 'comments', table: 'comments', foreign_key: 'post_id',
      relations: [{ name: 'author', table: 'users', foreign_key: 'author_id' }] },
  ]);
  // The same with each user and category sent once ("shared"): the client puts the objects back
  // in place, the same object wherever it is referenced (as Objection.js does).
  const sharedSpec = JSON.stringify([
    { name: 'author', table: 'users', foreign_key: 'author_id', shared: true },
    { name: 'category', table: 'categories', foreign_key: 'category_id', shared: true },
    { name: 'comments', table: 'comments', foreign_key: 'post_id',
      relations: [{ name: 'author', table: 'users', foreign_key: 'author_id', shared: true }] },
  ]);
  const at = (list, place) => (place === null ? null : list[place]);
  const loads = {
    data_bridge: async (n) => (await pool.query(
      'SELECT fetch_many_with_relations($1, $2::jsonb, NULL, \'"id"\', $3) AS rows', ['posts', spec, n])).rows[0].rows,
    // The json form: the same text, written without building jsonb (node-postgres parses both).
    data_bridge_json: async (n) => (await pool.query(
      'SELECT fetch_many_with_relations_json($1, $2::jsonb, NULL, \'"id"\', $3) AS rows', ['posts', spec, n])).rows[0].rows,
    data_bridge_shared: async (n) => {
      const { data, shared } = (await pool.query(
        'SELECT fetch_many_with_relations_json($1, $2::jsonb, NULL, \'"id"\', $3) AS result',
        ['posts', sharedSpec, n])).rows[0].result;
      for (const post of data) {
        post.author = at(shared.author, post.author);
        post.category = at(shared.category, post.category);
        for (const comment of post.comments) comment.author = at(shared.author, comment.author);
      }
      return data;
    },
    drizzle: (n) => db.query.posts.findMany({
      orderBy: (p, { asc }) => [asc(p.id)], limit: n,
      with: { author: true, category: true,
              comments: { orderBy: (c, { asc }) => [asc(c.id)], with: { author: true } } },
    }),
    objection: (n) => Post.query().orderBy('id').limit(n)
      .withGraphFetched('[author, category, comments(byId).author]')
      .modifiers({ byId: (query) => query.orderBy('id') }),
  };

  // The same posts, authors and comments in the same order from each.
  const summary = (rows) => JSON.stringify(rows.map((p) => [p.id, p.author.name, p.category.name,
    p.comments.map((c) => [c.id, c.author.name])]));
  for (const n of [100, 2000]) {
    const expected = summary(await loads.data_bridge(n));
    for (const name of ['data_bridge_json', 'data_bridge_shared', 'drizzle', 'objection']) {
      if (summary(await loads[name](n)) !== expected) throw new Error(`${name} returned other rows for ${n} posts`);
    }
  }

  for (const [n, rounds] of [[100, 40], [2000, 8]]) {
    const total = { data_bridge: 0, data_bridge_json: 0, data_bridge_shared: 0, drizzle: 0, objection: 0 };
    for (let round = 0; round < rounds; round++) {
      for (const name of Object.keys(total)) {
        const started = process.hrtime.bigint();
        await loads[name](n);
        total[name] += Number(process.hrtime.bigint() - started) / 1e6;
      }
    }
    const ms = Object.fromEntries(Object.entries(total).map(([k, v]) => [k, v / rounds]));
    const fastest = Math.min(ms.drizzle, ms.objection);
    console.log(`\n${n} posts with author, category and comments (+ their authors), parsed in Node.js (${rounds} rounds)`);
    console.log(`${'approach'.padEnd(52)} ${'ms/load'.padStart(9)}  ratio (data_bridge / approach)`);
    console.log(`${'data_bridge fetch_many_with_relations'.padEnd(52)} ${ms.data_bridge.toFixed(2).padStart(9)}  1.00`);
    console.log(`${'data_bridge fetch_many_with_relations_json'.padEnd(52)} ${ms.data_bridge_json.toFixed(2).padStart(9)}  ${(ms.data_bridge / ms.data_bridge_json).toFixed(2)}`);
    console.log(`${'data_bridge _json, users and categories "shared"'.padEnd(52)} ${ms.data_bridge_shared.toFixed(2).padStart(9)}  ${(ms.data_bridge / ms.data_bridge_shared).toFixed(2)}`);
    console.log(`${'Drizzle ORM relational query'.padEnd(52)} ${ms.drizzle.toFixed(2).padStart(9)}  ${(ms.data_bridge / ms.drizzle).toFixed(2)}`);
    console.log(`${'Objection.js withGraphFetched'.padEnd(52)} ${ms.objection.toFixed(2).padStart(9)}  ${(ms.data_bridge / ms.objection).toFixed(2)}`);
    console.log(`data_bridge vs the faster ORM: ${(ms.data_bridge / fastest).toFixed(2)}x its time; the json form: ${(ms.data_bridge_json / fastest).toFixed(2)}x; shared: ${(ms.data_bridge_shared / fastest).toFixed(2)}x`);
  }
  await knex.destroy();
  await pool.end();
}

main().catch((error) => { console.error(error); process.exit(1); });
