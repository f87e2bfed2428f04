// Checks on the relations users name, with PostgreSQL-style errors.
#pragma once

#include <string>

#include "data_bridge/pg/postgres.hpp"

namespace data_bridge::pg {

// Throws 42P01 when no relation has this OID, 42809 when it is not a table or partitioned
// table (views, sequences, indexes, foreign tables take part in no foreign key).
void require_table(Oid relid);

// The relation's name as PostgreSQL's messages show it: unqualified, unquoted.
std::string relation_name(Oid relid);

}  // namespace data_bridge::pg
