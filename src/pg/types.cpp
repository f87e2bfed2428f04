#include <fmt/format.h>

#include "data_bridge/pg/types.hpp"

#include "data_bridge/core/error.hpp"
#include "data_bridge/pg/boundary.hpp"
#include "data_bridge/pg/relation.hpp"

extern "C" {
#include "catalog/pg_operator.h"
#include "utils/typcache.h"
}

namespace data_bridge::pg {

namespace {

struct RawColumn {
    bool found;
    AttrNumber attnum;
    Oid type;
    int32 typmod;
    bool not_null;
};

}  // namespace

ColumnInfo column_info(Oid relid, const std::string& column) {
    const char* name = column.c_str();
    RawColumn raw = guarded([relid, name] {
        RawColumn out{};
        HeapTuple tuple = SearchSysCacheAttName(relid, name);
        if (HeapTupleIsValid(tuple)) {
            auto* form = (Form_pg_attribute)GETSTRUCT(tuple);
            out.found = form->attnum > 0;
            out.attnum = form->attnum;
            out.type = form->atttypid;
            out.typmod = form->atttypmod;
            out.not_null = form->attnotnull;
            ReleaseSysCache(tuple);
        }
        return out;
    });
    if (!raw.found) {
        throw Error(sqlstate::kUndefinedColumn,
                    fmt::format("column \"{}\" of relation \"{}\" does not exist", column,
                                relation_name(relid)));
    }
    return {column, raw.attnum, raw.type, raw.typmod, raw.not_null};
}

std::string type_sql_name(Oid type) {
    return guarded(
        [type] { return (const char*)format_type_extended(type, -1, FORMAT_TYPE_FORCE_QUALIFY); });
}

std::string equality_operator_sql(Oid type) {
    struct Operator {
        bool found;
        const char* schema;
    };
    Operator op = guarded([type] {
        Operator out{false, nullptr};
        TypeCacheEntry* entry = lookup_type_cache(type, TYPECACHE_EQ_OPR);
        if (!OidIsValid(entry->eq_opr))
            return out;
        HeapTuple tuple = SearchSysCache1(OPEROID, ObjectIdGetDatum(entry->eq_opr));
        if (!HeapTupleIsValid(tuple))
            return out;
        Oid namespace_oid = ((Form_pg_operator)GETSTRUCT(tuple))->oprnamespace;
        ReleaseSysCache(tuple);
        out.found = true;
        out.schema = quote_identifier(get_namespace_name(namespace_oid));
        return out;
    });
    if (!op.found) {
        throw Error(sqlstate::kUndefinedFunction,
                    fmt::format("could not identify an equality operator for type {}",
                                type_sql_name(type)));
    }
    return fmt::format("OPERATOR({}.=)", op.schema);
}

bool column_is_unique(Oid relid, AttrNumber attnum) {
    return guarded([relid, attnum] {
        Relation pg_index = table_open(IndexRelationId, AccessShareLock);
        ScanKeyData key;
        ScanKeyInit(&key, Anum_pg_index_indrelid, BTEqualStrategyNumber, F_OIDEQ,
                    ObjectIdGetDatum(relid));
        SysScanDesc scan =
            systable_beginscan(pg_index, IndexIndrelidIndexId, true, nullptr, 1, &key);
        bool unique = false;
        HeapTuple tuple;
        while (!unique && HeapTupleIsValid(tuple = systable_getnext(scan))) {
            auto* form = (Form_pg_index)GETSTRUCT(tuple);
            unique = form->indisunique && form->indisvalid && form->indnkeyatts == 1 &&
                     form->indkey.values[0] == attnum &&
                     heap_attisnull(tuple, Anum_pg_index_indpred, nullptr);
        }
        systable_endscan(scan);
        table_close(pg_index, AccessShareLock);
        return unique;
    });
}

}  // namespace data_bridge::pg
