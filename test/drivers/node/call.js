// Calls each data_bridge function through node-postgres the way its users write queries:
// client.query(text, [values]), parameters sent untyped. Prints "name<TAB>result" per call.
const { Client } = require('pg');
const calls = require('../calls.json');

(async () => {
  const client = new Client();  // PGHOST, PGPORT, PGUSER, PGDATABASE
  await client.connect();
  for (const call of calls) {
    let result;
    try {
      await client.query('BEGIN');
      const answer = await client.query({ text: call.sql, values: call.params, rowMode: 'array' });
      result = answer.rows[0][0];
    } catch (error) {
      result = `ERROR ${error.code}`;
    }
    await client.query('ROLLBACK');
    console.log(`${call.name}\t${result}`);
  }
  await client.end();
})();
