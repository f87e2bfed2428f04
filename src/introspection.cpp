// get_backreferences() and get_references(): the foreign keys into and out of a table,
// answered from the backend's cached foreign-key graph.

#include <vector>

#include "data_bridge/core/fk_graph.hpp"
#include "data_bridge/pg/boundary.hpp"
#include "data_bridge/pg/datum.hpp"
#include "data_bridge/pg/fk_cache.hpp"
#include "data_bridge/pg/catalog.hpp"

namespace data_bridge {

namespace {

// Column order of the result, as declared in the install script.
enum Column {
    kConstraintName,
    kSourceSchema,
    kSourceTable,
    kSourceColumn,
    kSourceColumns,
    kTargetSchema,
    kTargetTable,
    kTargetColumn,
    kTargetColumns,
    kOnDelete,
    kOnUpdate,
    kOnDeleteSetColumns,
    kMatchType,
    kIsDeferrable,
    kInitiallyDeferred,
    kIsValidated,
    kIsIndexed,
    kSourceRelid,
    kTargetRelid,
    kConstraintOid,
    kColumnCount
};

void emit_foreign_keys(FunctionCallInfo fcinfo, const std::vector<const ForeignKey*>& keys) {
    // The comma-joined column lists, built before the guarded call (which must build nothing
    // with a destructor).
    std::vector<std::string> source_columns, target_columns;
    for (const ForeignKey* key : keys) {
        source_columns.push_back(joined_columns(key->source_columns));
        target_columns.push_back(joined_columns(key->target_columns));
    }
    pg::guarded([fcinfo, &keys, &source_columns, &target_columns] {
        InitMaterializedSRF(fcinfo, 0);
        auto* result = (ReturnSetInfo*)fcinfo->resultinfo;
        for (std::size_t i = 0; i < keys.size(); i++) {
            const ForeignKey* key = keys[i];
            Datum values[kColumnCount];
            bool nulls[kColumnCount] = {};
            values[kConstraintName] = pg::name_datum(key->name);
            values[kSourceSchema] = pg::name_datum(key->source.schema);
            values[kSourceTable] = pg::name_datum(key->source.name);
            values[kSourceColumn] = pg::text_datum(source_columns[i]);
            values[kSourceColumns] = pg::name_array_datum(key->source_columns);
            values[kTargetSchema] = pg::name_datum(key->target.schema);
            values[kTargetTable] = pg::name_datum(key->target.name);
            values[kTargetColumn] = pg::text_datum(target_columns[i]);
            values[kTargetColumns] = pg::name_array_datum(key->target_columns);
            values[kOnDelete] = pg::text_datum(fk_action_sql(key->on_delete));
            values[kOnUpdate] = pg::text_datum(fk_action_sql(key->on_update));
            if (key->on_delete_set_columns.empty()) {
                nulls[kOnDeleteSetColumns] = true;
                values[kOnDeleteSetColumns] = (Datum)0;
            } else {
                values[kOnDeleteSetColumns] = pg::name_array_datum(key->on_delete_set_columns);
            }
            values[kMatchType] = pg::text_datum(fk_match_sql(key->match));
            values[kIsDeferrable] = BoolGetDatum(key->deferrable);
            values[kInitiallyDeferred] = BoolGetDatum(key->initially_deferred);
            values[kIsValidated] = BoolGetDatum(key->validated);
            values[kIsIndexed] = BoolGetDatum(key->indexed);
            values[kSourceRelid] = ObjectIdGetDatum(key->source_relid);
            values[kTargetRelid] = ObjectIdGetDatum(key->target_relid);
            values[kConstraintOid] = ObjectIdGetDatum(key->id);
            tuplestore_putvalues(result->setResult, result->setDesc, values, nulls);
        }
    });
}

Datum get_backreferences_body(FunctionCallInfo fcinfo) {
    Oid target = PG_GETARG_OID(0);
    pg::require_table(target);
    emit_foreign_keys(fcinfo, pg::foreign_key_graph().referencing(target));
    return (Datum)0;
}

Datum get_references_body(FunctionCallInfo fcinfo) {
    Oid source = PG_GETARG_OID(0);
    pg::require_table(source);
    emit_foreign_keys(fcinfo, pg::foreign_key_graph().referenced_by(source));
    return (Datum)0;
}

}  // namespace

}  // namespace data_bridge

DATA_BRIDGE_FUNCTION(get_backreferences, data_bridge::get_backreferences_body)
DATA_BRIDGE_FUNCTION(get_references, data_bridge::get_references_body)
