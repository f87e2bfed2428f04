# Calls each data_bridge function through Ruby pg the way its users write queries:
# conn.exec_params(sql, params), parameters sent untyped. Prints "name<TAB>result" per call.
require 'json'
require 'pg'

calls = JSON.parse(File.read(File.join(__dir__, 'calls.json')))
conn = PG.connect  # PGHOST, PGPORT, PGUSER, PGDATABASE
calls.each do |call|
  result =
    begin
      conn.exec('BEGIN')
      conn.exec_params(call['sql'], call['params']).getvalue(0, 0)
    rescue PG::Error => e
      "ERROR #{e.result&.error_field(PG::PG_DIAG_SQLSTATE)}"
    end
  conn.exec('ROLLBACK')
  puts "#{call['name']}\t#{result}"
end
conn.close
