#include <fmt/format.h>

#include "data_bridge/pg/catalog.hpp"

#include "data_bridge/core/error.hpp"
#include "data_bridge/core/fk_setup.hpp"
#include "data_bridge/core/sql_text.hpp"
#include "data_bridge/pg/boundary.hpp"
#include "data_bridge/pg/fk_cache.hpp"

extern "C" {
#include "access/relation.h"
#include "catalog/pg_constraint.h"
#include "catalog/pg_operator.h"
#include "access/genam.h"
#include "nodes/readfuncs.h"
#include "nodes/value.h"
#include "parser/parse_func.h"
#include "parser/parsetree.h"
#include "rewrite/prs2lock.h"
#include "utils/rel.h"
#include "parser/parse_oper.h"
#include "catalog/pg_am.h"
#include "catalog/pg_index.h"
#include "catalog/pg_opclass.h"
#include "catalog/pg_statistic.h"
#include "utils/acl.h"
#include "utils/inval.h"
#include "utils/syscache.h"
#include "utils/typcache.h"
#include "utils/float.h"
#include "utils/pg_locale.h"
#include "utils/datetime.h"
#include "pgtime.h"
#include "catalog/pg_namespace.h"
#include "catalog/pg_collation.h"
#include "catalog/dependency.h"
#include "commands/extension.h"
#include "catalog/pg_inherits.h"
#include "access/table.h"
#include "commands/trigger.h"
#include "miscadmin.h"
}

namespace data_bridge::pg {

std::string relation_name(Oid relid) {
    const char* name = guarded([relid] { return (const char*)get_rel_name(relid); });
    return name != nullptr ? std::string(name) : fmt::format("OID {}", relid);
}

void require_table(Oid relid, const char* detail) {
    char relkind = guarded([relid] { return get_rel_relkind(relid); });
    if (relkind == '\0') {
        throw Error(sqlstate::kUndefinedTable,
                    fmt::format("relation with OID {} does not exist", relid));
    }
    if (relkind != RELKIND_RELATION && relkind != RELKIND_PARTITIONED_TABLE) {
        throw Error(sqlstate::kWrongObjectType,
                    fmt::format("\"{}\" is not a table", relation_name(relid)), detail);
    }
}

void require_schema_usage(Oid relid) {
    guarded([relid] {
        Oid schema = get_rel_namespace(relid);
        AclResult result = pg_namespace_aclcheck(schema, GetUserId(), ACL_USAGE);
        if (result != ACLCHECK_OK)
            aclcheck_error(result, OBJECT_SCHEMA, get_namespace_name(schema));
    });
}

void require_readable_relation(Oid relid) {
    char relkind = guarded([relid] { return get_rel_relkind(relid); });
    if (relkind == '\0') {
        throw Error(sqlstate::kUndefinedTable,
                    fmt::format("relation with OID {} does not exist", relid));
    }
    if (relkind != RELKIND_RELATION && relkind != RELKIND_PARTITIONED_TABLE &&
        relkind != RELKIND_VIEW && relkind != RELKIND_MATVIEW) {
        throw Error(sqlstate::kWrongObjectType,
                    fmt::format("\"{}\" is not a table or view", relation_name(relid)),
                    "Rows are loaded from tables, partitioned tables, views and materialized "
                    "views.");
    }
}

TableName table_name_of(Oid relid) {
    const char* schema = guarded([relid] { return schema_name_for_sql(get_rel_namespace(relid)); });
    const char* name = guarded([relid] { return (const char*)get_rel_name(relid); });
    if (schema == nullptr || name == nullptr) {
        throw Error(sqlstate::kUndefinedTable,
                    fmt::format("relation with OID {} does not exist", relid));
    }
    return {schema, name};
}

std::string quoted_table(Oid relid) {
    TableName name = table_name_of(relid);
    const char* schema = name.schema.c_str();
    const char* table = name.name.c_str();
    return guarded(
        [schema, table] { return (const char*)quote_qualified_identifier(schema, table); });
}

std::string own_rows_table(Oid relid) {
    char kind = guarded([relid] { return get_rel_relkind(relid); });
    std::string quoted = quoted_table(relid);
    return kind == RELKIND_PARTITIONED_TABLE ? quoted : "ONLY " + quoted;
}

std::string quoted_identifier(const std::string& identifier) {
    const char* text = identifier.c_str();
    return guarded([text] { return quote_identifier(text); });
}

AttrNumber column_attnum(Oid relid, const std::string& column) {
    const char* name = column.c_str();
    AttrNumber attnum = guarded([relid, name] { return get_attnum(relid, name); });
    if (attnum <= 0) {
        throw Error(sqlstate::kUndefinedColumn,
                    fmt::format("column \"{}\" of relation \"{}\" does not exist", column,
                                relation_name(relid)));
    }
    return attnum;
}

bool column_is_not_null(Oid relid, AttrNumber attnum) {
    return guarded([relid, attnum] {
        HeapTuple tuple = SearchSysCache2(ATTNUM, ObjectIdGetDatum(relid), Int16GetDatum(attnum));
        if (!HeapTupleIsValid(tuple))
            elog(ERROR, "cache lookup failed for attribute %d", attnum);
        bool not_null = ((Form_pg_attribute)GETSTRUCT(tuple))->attnotnull;
        ReleaseSysCache(tuple);
        return not_null;
    });
}

namespace {

// Types' default equality operators, learned from primary keys' indexes. The type cache finds a
// type's default btree operator class by testing every default class for binary coercion from
// the type (a pg_cast lookup each): on cold caches the largest part of a backend's first call.
// A primary key's index names its column type's default class directly when the class is that
// exact type's default, and that is the class the type cache finds (a type has at most one).
struct KnownEquality {
    Oid type;
    Oid equality;
};
HTAB* known_equalities = nullptr;

// A new default class or a changed family membership may change a type's equality.
void forget_known_equalities(Datum, int, uint32) {
    if (known_equalities != nullptr) {
        hash_destroy(known_equalities);
        known_equalities = nullptr;
    }
}

Oid known_equality(Oid type) {
    if (known_equalities == nullptr)
        return InvalidOid;
    auto* entry = (KnownEquality*)hash_search(known_equalities, &type, HASH_FIND, nullptr);
    return entry == nullptr ? InvalidOid : entry->equality;
}

// Raises errors: call inside guarded().
void learn_equality(Oid type, Oid opclass) {
    if (!OidIsValid(type) || OidIsValid(known_equality(type)))
        return;
    HeapTuple tuple = SearchSysCache1(CLAOID, ObjectIdGetDatum(opclass));
    if (!HeapTupleIsValid(tuple))
        return;
    auto* form = (Form_pg_opclass)GETSTRUCT(tuple);
    Oid equality = InvalidOid;
    // A domain's default class is its base type's, found by the type cache.
    if (form->opcmethod == BTREE_AM_OID && form->opcdefault && form->opcintype == type &&
        get_typtype(type) != TYPTYPE_DOMAIN) {
        equality = get_opfamily_member(form->opcfamily, type, type, BTEqualStrategyNumber);
    }
    ReleaseSysCache(tuple);
    // The type cache checks array and record elements for equality: left to it.
    if (!OidIsValid(equality) || equality == ARRAY_EQ_OP || equality == RECORD_EQ_OP)
        return;
    if (known_equalities == nullptr)
        known_equalities = oid_keyed_cache("data_bridge key equalities", 16, sizeof(KnownEquality));
    // No catalog access from here on: an invalidation could destroy the table.
    auto* entry = (KnownEquality*)hash_search(known_equalities, &type, HASH_ENTER, nullptr);
    entry->equality = equality;
}

// Raises errors: call inside guarded().
void learn_key_equalities(Oid index_oid) {
    HeapTuple tuple = SearchSysCache1(INDEXRELID, ObjectIdGetDatum(index_oid));
    if (!HeapTupleIsValid(tuple))
        return;
    auto* index = (Form_pg_index)GETSTRUCT(tuple);
    bool isnull;
    Datum classes = SysCacheGetAttr(INDEXRELID, tuple, Anum_pg_index_indclass, &isnull);
    if (!isnull) {
        auto* opclasses = (oidvector*)DatumGetPointer(classes);
        for (int i = 0; i < index->indnkeyatts && i < opclasses->dim1; i++) {
            AttrNumber attnum = index->indkey.values[i];
            if (attnum > 0)
                learn_equality(get_atttype(index->indrelid, attnum), opclasses->values[i]);
        }
    }
    ReleaseSysCache(tuple);
}

// Fills `names` (INDEX_MAX_KEYS entries) with the primary key's column names; returns the count.
int read_primary_key(Oid relid, char** names) {
    Relation pg_constraint = table_open(ConstraintRelationId, AccessShareLock);
    ScanKeyData key;
    ScanKeyInit(&key, Anum_pg_constraint_conrelid, BTEqualStrategyNumber, F_OIDEQ,
                ObjectIdGetDatum(relid));
    SysScanDesc scan =
        systable_beginscan(pg_constraint, ConstraintRelidTypidNameIndexId, true, nullptr, 1, &key);
    int count = 0;
    HeapTuple tuple;
    while (HeapTupleIsValid(tuple = systable_getnext(scan))) {
        auto* form = (Form_pg_constraint)GETSTRUCT(tuple);
        if (form->contype != CONSTRAINT_PRIMARY)
            continue;
        learn_key_equalities(form->conindid);
        bool isnull;
        Datum conkey = heap_getattr(tuple, Anum_pg_constraint_conkey,
                                    RelationGetDescr(pg_constraint), &isnull);
        if (isnull)
            break;
        ArrayType* array = DatumGetArrayTypeP(conkey);
        auto* attnums = (int16*)ARR_DATA_PTR(array);
        count = ArrayGetNItems(ARR_NDIM(array), ARR_DIMS(array));
        for (int i = 0; i < count && i < INDEX_MAX_KEYS; i++) {
            names[i] = get_attname(relid, attnums[i], false);
        }
        break;
    }
    systable_endscan(scan);
    table_close(pg_constraint, AccessShareLock);
    return count;
}

}  // namespace

std::vector<std::string> primary_key_columns(Oid relid) {
    char* names[INDEX_MAX_KEYS];
    char** out = names;
    int count = guarded([relid, out] { return read_primary_key(relid, out); });
    return std::vector<std::string>(names, names + count);
}

std::vector<std::string> constraint_columns(Oid relid, const std::string& name) {
    const char* constraint = name.c_str();
    char* names[INDEX_MAX_KEYS];
    char** out = names;
    int count = guarded([relid, constraint, out] {
        Oid constraint_oid = InvalidOid;
        Bitmapset* attnos =
            get_relation_constraint_attnos(relid, constraint, true, &constraint_oid);
        int found = 0;
        if (constraint_oid == InvalidOid)
            return -1;
        int member = -1;
        while ((member = bms_next_member(attnos, member)) >= 0 && found < INDEX_MAX_KEYS) {
            AttrNumber attnum = member + FirstLowInvalidHeapAttributeNumber;
            out[found++] = get_attname(relid, attnum, false);
        }
        return found;
    });
    if (count < 0) {
        throw Error(sqlstate::kUndefinedObject,
                    fmt::format("constraint \"{}\" for table \"{}\" does not exist", name,
                                relation_name(relid)));
    }
    return std::vector<std::string>(names, names + count);
}

ConflictConstraint conflict_constraint(Oid relid, const std::string& name) {
    const char* constraint = name.c_str();
    return guarded([relid, constraint] {
        ConflictConstraint out;
        Oid constraint_oid = get_relation_constraint_oid(relid, constraint, true);
        HeapTuple tuple = OidIsValid(constraint_oid)
                              ? SearchSysCache1(CONSTROID, ObjectIdGetDatum(constraint_oid))
                              : nullptr;
        if (!HeapTupleIsValid(tuple))
            return out;
        auto* form = (Form_pg_constraint)GETSTRUCT(tuple);
        out.exclusion = form->contype == CONSTRAINT_EXCLUSION;
        Oid index = form->contype == CONSTRAINT_UNIQUE ? form->conindid : InvalidOid;
        ReleaseSysCache(tuple);
        tuple = OidIsValid(index) ? SearchSysCache1(INDEXRELID, ObjectIdGetDatum(index)) : nullptr;
        if (HeapTupleIsValid(tuple)) {
            out.nulls_not_distinct = ((Form_pg_index)GETSTRUCT(tuple))->indnullsnotdistinct;
            ReleaseSysCache(tuple);
        }
        return out;
    });
}

Oid aggregate_result_type(const char* function, Oid argument_type) {
    return guarded([function, argument_type] {
        List* name = list_make2(makeString(pstrdup("pg_catalog")), makeString(pstrdup(function)));
        Oid types[1] = {argument_type};
        Oid found = LookupFuncName(name, 1, types, true);
        if (!OidIsValid(found)) {
            types[0] = getBaseType(argument_type);
            found = LookupFuncName(name, 1, types, true);
        }
        return OidIsValid(found) ? get_func_rettype(found) : InvalidOid;
    });
}

Oid find_named_relation(const std::string& text) {
    TargetRef ref;
    try {
        ref = parse_target(text);
    } catch (const Error&) {
        return InvalidOid;
    }
    if (ref.has_column_list || ref.name_parts.empty() || ref.name_parts.size() > 2)
        return InvalidOid;
    return find_relation(ref.name_parts);
}

Oid find_spec_relation(const std::string& text, const std::string& path) {
    auto not_a_name = [&text, &path] {
        return Error(sqlstate::kInvalidParameterValue,
                     fmt::format("invalid {}: \"{}\" is not a table name", path, text), {},
                     "Write a table as \"table\" or \"schema.table\", double-quoting a name as "
                     "SQL does.");
    };
    TargetRef ref;
    try {
        ref = parse_target(text);
    } catch (const Error&) {
        // The parser speaks of foreign key targets (add_foreign_key's grammar, up to three
        // dotted names): here the place in the spec and a table's form are what count.
        throw not_a_name();
    }
    if (ref.has_column_list || ref.name_parts.empty() || ref.name_parts.size() > 2)
        throw not_a_name();
    return find_relation(ref.name_parts);
}

Oid find_relation(const std::vector<std::string>& name_parts) {
    const char* schema = name_parts.size() > 1 ? name_parts[0].c_str() : nullptr;
    const char* table = name_parts.back().c_str();
    return guarded([schema, table] {
        RangeVar* range_var = makeRangeVar((char*)schema, (char*)table, -1);
        return RangeVarGetRelid(range_var, NoLock, true);
    });
}

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

ColumnFill column_fill(Oid relid, const std::string& column) {
    AttrNumber attnum = column_info(relid, column).attnum;
    return guarded([relid, attnum] {
        ColumnFill fill{true, false, false};
        HeapTuple tuple = SearchSysCache2(ATTNUM, ObjectIdGetDatum(relid), Int16GetDatum(attnum));
        if (!HeapTupleIsValid(tuple))
            return fill;
        auto* form = (Form_pg_attribute)GETSTRUCT(tuple);
        fill.accepts_null = !form->attnotnull;
        fill.has_default = form->atthasdef || form->attidentity != '\0';
        fill.generated = form->attgenerated != '\0';
        Oid type = form->atttypid;
        ReleaseSysCache(tuple);
        // A domain's NOT NULL, at any depth of domains over domains.
        for (int depth = 0; depth < 64 && fill.accepts_null; depth++) {
            HeapTuple type_tuple = SearchSysCache1(TYPEOID, ObjectIdGetDatum(type));
            if (!HeapTupleIsValid(type_tuple))
                break;
            auto* type_form = (Form_pg_type)GETSTRUCT(type_tuple);
            bool domain = type_form->typtype == TYPTYPE_DOMAIN;
            fill.accepts_null = !(domain && type_form->typnotnull);
            if (domain && !fill.has_default)
                fill.has_default = !heap_attisnull(type_tuple, Anum_pg_type_typdefault, nullptr);
            type = type_form->typbasetype;
            ReleaseSysCache(type_tuple);
            if (!domain)
                break;
        }
        return fill;
    });
}

std::string type_sql_name(Oid type) {
    // Without a length, "character" and "bit" mean character(1) and bit(1) in a cast: the types
    // themselves are pg_catalog.bpchar and pg_catalog."bit".
    if (type == BPCHAROID)
        return "pg_catalog.bpchar";
    if (type == BITOID)
        return "pg_catalog.\"bit\"";
    if (type == BPCHARARRAYOID)
        return "pg_catalog.bpchar[]";
    if (type == BITARRAYOID)
        return "pg_catalog.\"bit\"[]";
    return guarded([type] {
        record_type_schema(type);
        return (const char*)format_type_extended(type, -1, FORMAT_TYPE_FORCE_QUALIFY);
    });
}

namespace {

const char* nullable_quoted(const char* identifier) {
    return identifier == nullptr ? nullptr : quote_identifier(identifier);
}

// The schema of the type's default equality operator (unquoted), or null when it has none.
// Raises errors: call inside guarded().
const char* equality_schema(Oid type) {
    Oid equality = known_equality(type);
    if (!OidIsValid(equality))
        equality = lookup_type_cache(type, TYPECACHE_EQ_OPR)->eq_opr;
    if (!OidIsValid(equality))
        return nullptr;
    HeapTuple tuple = SearchSysCache1(OPEROID, ObjectIdGetDatum(equality));
    if (!HeapTupleIsValid(tuple))
        return nullptr;
    Oid namespace_oid = ((Form_pg_operator)GETSTRUCT(tuple))->oprnamespace;
    ReleaseSysCache(tuple);
    return schema_name_for_sql(namespace_oid);
}

}  // namespace

std::string equality_operator_sql(Oid type) {
    const char* schema =
        guarded([type] { return (const char*)nullable_quoted(equality_schema(type)); });
    if (schema == nullptr) {
        throw Error(sqlstate::kUndefinedFunction,
                    fmt::format("could not identify an equality operator for type {}",
                                type_sql_name(type)));
    }
    return qualified_operator_sql(schema, "=");
}

std::string binary_operator_sql(Oid type, const char* symbol, const std::string& path) {
    const char* schema = guarded([type] {
        const char* found = equality_schema(type);
        return found != nullptr ? found : "pg_catalog";
    });
    bool exists = guarded([&] {
        List* name = list_make2(makeString(pstrdup(schema)), makeString(pstrdup(symbol)));
        Operator found = oper(nullptr, name, type, type, true, -1);
        if (found == nullptr)
            return false;
        ReleaseSysCache(found);
        return true;
    });
    if (!exists) {
        std::string type_name = type_sql_name(type);
        throw Error(sqlstate::kUndefinedFunction,
                    fmt::format("operator does not exist: {} {}.{} {}", type_name, schema, symbol,
                                type_name),
                    fmt::format("It is named at {}.", path),
                    "The column's type has no such operator; use another operator.");
    }
    return qualified_operator_sql(guarded([&] { return quote_identifier(schema); }), symbol);
}

namespace {

// Whether the operator class is `type`'s own default btree class (one catalog-cache lookup).
bool default_btree_class(Oid opclass, Oid type) {
    HeapTuple tuple = SearchSysCache1(CLAOID, ObjectIdGetDatum(opclass));
    if (!HeapTupleIsValid(tuple))
        return false;
    auto* form = (Form_pg_opclass)GETSTRUCT(tuple);
    bool own = form->opcmethod == BTREE_AM_OID && form->opcdefault && form->opcintype == type;
    ReleaseSysCache(tuple);
    return own;
}

}  // namespace

bool has_index_leading_with(Oid relid, const std::string& column, IndexKinds kinds) {
    const char* name = column.c_str();
    return guarded([relid, name, kinds] {
        AttrNumber attnum = get_attnum(relid, name);
        if (attnum <= 0)
            return false;
        Oid type = get_atttype(relid, attnum);
        Relation relation = relation_open(relid, AccessShareLock);
        List* indexes = RelationGetIndexList(relation);
        relation_close(relation, AccessShareLock);
        bool found = false;
        ListCell* cell;
        foreach (cell, indexes) {
            Oid index_oid = lfirst_oid(cell);
            HeapTuple index_tuple = SearchSysCache1(INDEXRELID, ObjectIdGetDatum(index_oid));
            if (!HeapTupleIsValid(index_tuple))
                continue;
            auto* index = (Form_pg_index)GETSTRUCT(index_tuple);
            bool leads = index->indisvalid && index->indnkeyatts > 0 &&
                         index->indkey.values[0] == attnum &&
                         heap_attisnull(index_tuple, Anum_pg_index_indpred, nullptr);
            if (leads && kinds == IndexKinds::kDefaultBtree) {
                bool is_null;
                Datum classes =
                    SysCacheGetAttr(INDEXRELID, index_tuple, Anum_pg_index_indclass, &is_null);
                leads = !is_null && default_btree_class(
                                        ((oidvector*)DatumGetPointer(classes))->values[0], type);
            }
            ReleaseSysCache(index_tuple);
            if (!leads)
                continue;
            HeapTuple class_tuple = SearchSysCache1(RELOID, ObjectIdGetDatum(index_oid));
            if (!HeapTupleIsValid(class_tuple))
                continue;
            Oid method = ((Form_pg_class)GETSTRUCT(class_tuple))->relam;
            ReleaseSysCache(class_tuple);
            if (method == BTREE_AM_OID ||
                (method == HASH_AM_OID && kinds == IndexKinds::kBtreeOrHash)) {
                found = true;
                break;
            }
        }
        list_free(indexes);
        return found;
    });
}

double rows_per_value(Oid relid, const std::string& column) {
    const char* name = column.c_str();
    return guarded([relid, name] {
        AttrNumber attnum = get_attnum(relid, name);
        if (attnum <= 0)
            return -1.0;
        HeapTuple class_tuple = SearchSysCache1(RELOID, ObjectIdGetDatum(relid));
        if (!HeapTupleIsValid(class_tuple))
            return -1.0;
        auto* form = (Form_pg_class)GETSTRUCT(class_tuple);
        double rows = form->reltuples;
        // A query of the table reads its children too. A partitioned table's reltuples and
        // statistics are its tree's; an inheritance parent's reltuples are its own rows only:
        // unknown then.
        bool partitioned = form->relkind == RELKIND_PARTITIONED_TABLE;
        bool inherited = !partitioned && form->relhassubclass;
        ReleaseSysCache(class_tuple);
        if (inherited)
            return -1.0;
        bool tree = partitioned;
        HeapTuple stats = SearchSysCache3(STATRELATTINH, ObjectIdGetDatum(relid),
                                          Int16GetDatum(attnum), BoolGetDatum(tree));
        if (!HeapTupleIsValid(stats))
            return -1.0;
        auto* statistic = (Form_pg_statistic)GETSTRUCT(stats);
        double distinct = statistic->stadistinct;
        double non_null = 1.0 - statistic->stanullfrac;
        ReleaseSysCache(stats);
        if (rows <= 0 || distinct == 0)
            return -1.0;
        // Negative: the distinct values as a fraction of the rows.
        return distinct > 0 ? rows * non_null / distinct : non_null / -distinct;
    });
}

bool row_security_enabled(Oid relid) {
    return guarded([relid] {
        HeapTuple tuple = SearchSysCache1(RELOID, ObjectIdGetDatum(relid));
        if (!HeapTupleIsValid(tuple))
            return false;
        bool enabled = ((Form_pg_class)GETSTRUCT(tuple))->relrowsecurity;
        ReleaseSysCache(tuple);
        return enabled;
    });
}

bool few_rows_per_key(Oid relid, const std::string& column) {
    constexpr double kFewRowsPerKey = 100;
    if (row_security_enabled(relid))
        return false;
    double rows = rows_per_value(relid, column);
    return rows > 0 && rows <= kFewRowsPerKey;
}

List* read_indexes(Relation pg_index, Oid relid) {
    ScanKeyData key;
    ScanKeyInit(&key, Anum_pg_index_indrelid, BTEqualStrategyNumber, F_OIDEQ,
                ObjectIdGetDatum(relid));
    SysScanDesc scan = systable_beginscan(pg_index, IndexIndrelidIndexId, true, nullptr, 1, &key);
    List* indexes = NIL;
    HeapTuple tuple;
    while (HeapTupleIsValid(tuple = systable_getnext(scan))) {
        auto* form = (Form_pg_index)GETSTRUCT(tuple);
        auto* index = (IndexFacts*)palloc0(sizeof(IndexFacts));
        index->nkeys = form->indnkeyatts;
        for (int i = 0; i < form->indnkeyatts; i++)
            index->keys[i] = form->indkey.values[i];
        index->unique = form->indisunique;
        index->partial = !heap_attisnull(tuple, Anum_pg_index_indpred, nullptr);
        index->valid = form->indisvalid;
        index->primary = form->indisprimary;
        index->immediate = form->indimmediate;
        bool collations_null = false;
        Datum collations = heap_getattr(tuple, Anum_pg_index_indcollation,
                                        RelationGetDescr(pg_index), &collations_null);
        if (!collations_null) {
            auto* vector = (oidvector*)DatumGetPointer(collations);
            for (int i = 0; i < form->indnkeyatts && i < vector->dim1; i++)
                index->collations[i] = vector->values[i];
        }
        HeapTuple relation = SearchSysCache1(RELOID, ObjectIdGetDatum(form->indexrelid));
        if (HeapTupleIsValid(relation)) {
            index->am = ((Form_pg_class)GETSTRUCT(relation))->relam;
            ReleaseSysCache(relation);
        }
        indexes = lappend(indexes, index);
    }
    systable_endscan(scan);
    return indexes;
}

bool citus_present() {
    return guarded(
        [] { return OidIsValid(get_relname_relid("pg_dist_partition", PG_CATALOG_NAMESPACE)); });
}

CitusTable citus_table(Oid relid) {
    // Citus keeps its tables in pg_catalog.pg_dist_partition: partmethod 'h' (hash) with the
    // distribution column as a Var node's text in partkey.
    struct Found {
        bool managed;
        const char* column;
        uint32 colocation;
    };
    Found found = guarded([relid]() -> Found {
        Oid catalog = get_relname_relid("pg_dist_partition", PG_CATALOG_NAMESPACE);
        if (!OidIsValid(catalog))
            return Found{false, nullptr, 0};
        Relation partitions = table_open(catalog, AccessShareLock);
        TupleDesc descriptor = RelationGetDescr(partitions);
        AttrNumber relid_number = InvalidAttrNumber, method_number = InvalidAttrNumber,
                   key_number = InvalidAttrNumber, colocation_number = InvalidAttrNumber;
        for (int i = 0; i < descriptor->natts; i++) {
            const char* name = NameStr(TupleDescAttr(descriptor, i)->attname);
            if (strcmp(name, "logicalrelid") == 0)
                relid_number = i + 1;
            else if (strcmp(name, "partmethod") == 0)
                method_number = i + 1;
            else if (strcmp(name, "partkey") == 0)
                key_number = i + 1;
            else if (strcmp(name, "colocationid") == 0)
                colocation_number = i + 1;
        }
        Found out{false, nullptr, 0};
        if (relid_number != InvalidAttrNumber && method_number != InvalidAttrNumber &&
            key_number != InvalidAttrNumber) {
            ScanKeyData key;
            ScanKeyInit(&key, relid_number, BTEqualStrategyNumber, F_OIDEQ,
                        ObjectIdGetDatum(relid));
            // By its unique index on logicalrelid: one probe, however many tables Citus has.
            Oid index =
                get_relname_relid("pg_dist_partition_logical_relid_index", PG_CATALOG_NAMESPACE);
            SysScanDesc scan =
                systable_beginscan(partitions, index, OidIsValid(index), nullptr, 1, &key);
            HeapTuple tuple = systable_getnext(scan);
            if (HeapTupleIsValid(tuple)) {
                out.managed = true;
                if (colocation_number != InvalidAttrNumber) {
                    bool colocation_null;
                    Datum colocation =
                        heap_getattr(tuple, colocation_number, descriptor, &colocation_null);
                    out.colocation = colocation_null ? 0 : DatumGetUInt32(colocation);
                }
                bool method_null, key_null;
                char method =
                    DatumGetChar(heap_getattr(tuple, method_number, descriptor, &method_null));
                Datum partkey = heap_getattr(tuple, key_number, descriptor, &key_null);
                if (!method_null && !key_null && method == 'h') {
                    Node* node = static_cast<Node*>(stringToNode(TextDatumGetCString(partkey)));
                    if (node != nullptr && IsA(node, Var))
                        out.column = get_attname(relid, castNode(Var, node)->varattno, true);
                }
            }
            systable_endscan(scan);
        }
        table_close(partitions, AccessShareLock);
        return out;
    });
    return CitusTable{found.managed, found.column != nullptr ? found.column : "", found.colocation};
}

std::string distribution_column(Oid relid) {
    return citus_table(relid).distribution_column;
}

bool is_citus_shard(Oid relid) {
    return guarded([relid] {
        Oid argument = REGCLASSOID;
        List* name = list_make2(makeString(pstrdup("pg_catalog")),
                                makeString(pstrdup("relation_is_a_known_shard")));
        Oid function = LookupFuncName(name, 1, &argument, true);
        return OidIsValid(function) &&
               DatumGetBool(OidFunctionCall1(function, ObjectIdGetDatum(relid)));
    });
}

bool is_view(Oid relid) {
    char kind = guarded([relid] { return get_rel_relkind(relid); });
    return kind == RELKIND_VIEW || kind == RELKIND_MATVIEW;
}

namespace {

struct RawViewColumn {
    char* name;
    Oid table;
    char* column;
};

// The table column a view's target expression copies, through join alias variables.
bool var_source(Query* query, Node* expression, Oid* table, AttrNumber* attnum) {
    for (int depth = 0; depth < 64 && expression != nullptr; depth++) {
        if (!IsA(expression, Var))
            return false;
        Var* var = (Var*)expression;
        if (var->varlevelsup != 0 || var->varattno <= 0 ||
            var->varno > list_length(query->rtable)) {
            return false;
        }
        RangeTblEntry* entry = rt_fetch(var->varno, query->rtable);
        if (entry->rtekind == RTE_RELATION) {
            *table = entry->relid;
            *attnum = var->varattno;
            return true;
        }
        if (entry->rtekind != RTE_JOIN || var->varattno > list_length(entry->joinaliasvars))
            return false;
        expression = (Node*)list_nth(entry->joinaliasvars, var->varattno - 1);
    }
    return false;
}

// The ON SELECT rule's query of a view or materialized view, or null.
Query* view_query(Relation relation) {
    if (relation->rd_rules == nullptr)
        return nullptr;
    for (int i = 0; i < relation->rd_rules->numLocks; i++) {
        RewriteRule* rule = relation->rd_rules->rules[i];
        if (rule->event == CMD_SELECT && list_length(rule->actions) == 1)
            return (Query*)linitial(rule->actions);
    }
    return nullptr;
}

}  // namespace

ViewSources view_sources(Oid relid) {
    ViewSources sources;
    if (!is_view(relid))
        return sources;
    struct Raw {
        int count;
        RawViewColumn* columns;
        bool single_table;
    };
    Raw raw = guarded([relid] {
        Raw out{0, nullptr, false};
        Relation relation = relation_open(relid, AccessShareLock);
        Query* query = view_query(relation);
        if (query != nullptr) {
            out.columns = (RawViewColumn*)palloc0(sizeof(RawViewColumn) *
                                                  (list_length(query->targetList) + 1));
            ListCell* cell;
            foreach (cell, query->targetList) {
                TargetEntry* entry = (TargetEntry*)lfirst(cell);
                if (entry->resjunk || entry->resname == nullptr)
                    continue;
                RawViewColumn* column = &out.columns[out.count++];
                column->name = pstrdup(entry->resname);
                Oid table = InvalidOid;
                AttrNumber attnum = 0;
                if (var_source(query, (Node*)entry->expr, &table, &attnum)) {
                    column->table = table;
                    column->column = get_attname(table, attnum, false);
                }
            }
            // One table read as it is: its unique columns stay unique.
            FromExpr* from = query->jointree;
            if (from != nullptr && list_length(from->fromlist) == 1 &&
                IsA(linitial(from->fromlist), RangeTblRef) && query->setOperations == nullptr &&
                query->groupClause == NIL && query->groupingSets == NIL &&
                query->distinctClause == NIL && !query->hasTargetSRFs && !query->hasAggs &&
                !query->hasWindowFuncs) {
                int index = ((RangeTblRef*)linitial(from->fromlist))->rtindex;
                out.single_table = rt_fetch(index, query->rtable)->rtekind == RTE_RELATION;
            }
        }
        relation_close(relation, AccessShareLock);
        return out;
    });
    for (int i = 0; i < raw.count; i++) {
        ViewColumn column;
        column.name = raw.columns[i].name;
        column.table = raw.columns[i].table;
        if (raw.columns[i].column != nullptr)
            column.column = raw.columns[i].column;
        sources.columns.push_back(std::move(column));
    }
    sources.single_table = raw.single_table;
    return sources;
}

Uniqueness column_uniqueness(Oid relid, AttrNumber attnum) {
    return guarded([relid, attnum] {
        Relation pg_index = table_open(IndexRelationId, AccessShareLock);
        List* indexes = read_indexes(pg_index, relid);
        table_close(pg_index, AccessShareLock);
        Uniqueness found = Uniqueness::kNone;
        ListCell* cell;
        foreach (cell, indexes) {
            const auto* index = (const IndexFacts*)lfirst(cell);
            if (index->unique && index->valid && !index->partial && index->nkeys == 1 &&
                index->keys[0] == attnum) {
                if (index->immediate)
                    return Uniqueness::kImmediate;
                found = Uniqueness::kAtCommit;
            }
        }
        return found;
    });
}

bool column_is_unique(Oid relid, AttrNumber attnum) {
    return column_uniqueness(relid, attnum) != Uniqueness::kNone;
}

bool is_row_type(Oid type) {
    return guarded([type] { return type_is_rowtype(type); });
}

Oid base_type(Oid type) {
    return guarded([type] { return getBaseType(type); });
}

bool is_jsonb(Oid type) {
    return base_type(type) == JSONBOID;
}

bool is_array_type(Oid type) {
    return guarded([type] { return type_is_array(type); });
}

bool has_inheritance_children(Oid relid) {
    return guarded([relid] {
        return get_rel_relkind(relid) != RELKIND_PARTITIONED_TABLE && has_subclass(relid) &&
               find_inheritance_children(relid, NoLock) != NIL;
    });
}

bool has_before_row_triggers(Oid relid) {
    return guarded([relid] {
        List* tables = find_all_inheritors(relid, AccessShareLock, nullptr);
        bool found = false;
        ListCell* cell;
        foreach (cell, tables) {
            Relation relation = table_open(lfirst_oid(cell), NoLock);
            TriggerDesc* triggers = relation->trigdesc;
            found = triggers != nullptr &&
                    (triggers->trig_insert_before_row || triggers->trig_update_before_row);
            table_close(relation, NoLock);
            if (found)
                break;
        }
        list_free(tables);
        return found;
    });
}

void require_internal_schema() {
    // The schema found a member of the extension last time, by OID: the name resolves to another
    // OID once that schema is dropped, and that one is checked afresh.
    static Oid checked_schema = InvalidOid;
    bool owned = guarded([] {
        Oid schema = get_namespace_oid("data_bridge_internal", true);
        if (OidIsValid(schema) && schema == checked_schema)
            return true;
        Oid extension = get_extension_oid("data_bridge", true);
        bool member = OidIsValid(schema) && OidIsValid(extension) &&
                      getExtensionOfObject(NamespaceRelationId, schema) == extension;
        checked_schema = member ? schema : InvalidOid;
        return member;
    });
    if (!owned) {
        throw Error("55000",
                    "schema \"data_bridge_internal\" is not the one data_bridge's objects create",
                    "The module is newer than the extension's objects in this database, or "
                    "another role created the schema.",
                    "ALTER EXTENSION data_bridge UPDATE (as a superuser).");
    }
}

namespace {

// Built-in types whose text form depends on no setting and holds no float: what to_jsonb writes
// of them reads back as the same value.
bool plain_scalar(Oid base) {
    switch (base) {
        case BOOLOID:
        case INT2OID:
        case INT4OID:
        case INT8OID:
        case NUMERICOID:
        case TEXTOID:
        case VARCHAROID:
        case BPCHAROID:
        case NAMEOID:
        case CHAROID:
        case UUIDOID:
        case BYTEAOID:
        case OIDOID:
        case INETOID:
        case CIDROID:
        case MACADDROID:
        case MACADDR8OID:
        case BITOID:
        case VARBITOID:
        case TIMEOID:
        case TIMETZOID:
        case PG_LSNOID:
            return true;
        default:
            return false;
    }
}

// A string type outside the built-in ones (citext, say): its text is its value, as text's is.
bool string_like(Oid base) {
    if (base < FirstNormalObjectId)
        return false;
    char category;
    bool preferred;
    get_type_category_preferred(base, &category, &preferred);
    return category == TYPCATEGORY_STRING;
}

bool datetime(Oid base) {
    return base == DATEOID || base == TIMESTAMPOID || base == TIMESTAMPTZOID;
}

// Whether values of the type may hold a float4 or float8 (through domains, arrays, ranges and
// composite types' fields): true for a float, and for any base type not known to hold none
// (geometric types, an extension's types such as cube).
bool holds_float(Oid type) {
    check_stack_depth();
    Oid base = getBaseType(type);
    if (base == FLOAT4OID || base == FLOAT8OID)
        return true;
    if (plain_scalar(base) || string_like(base) || datetime(base) || base == INTERVALOID ||
        base == CASHOID || base == JSONOID || base == JSONBOID || type_is_enum(base)) {
        return false;
    }
    Oid element = get_element_type(base);
    if (OidIsValid(element))
        return holds_float(element);
    if (type_is_range(base))
        return holds_float(get_range_subtype(base));
    if (type_is_multirange(base))
        return holds_float(get_range_subtype(get_multirange_range(base)));
    if (!type_is_rowtype(base))
        return true;
    if (base == RECORDOID)
        return true;
    TupleDesc descriptor = lookup_rowtype_tupdesc(base, -1);
    bool found = false;
    for (int i = 0; i < descriptor->natts && !found; i++) {
        Form_pg_attribute attribute = TupleDescAttr(descriptor, i);
        found = !attribute->attisdropped && holds_float(attribute->atttypid);
    }
    ReleaseTupleDesc(descriptor);
    return found;
}

// The settings a type's text form depends on; `known` false when it is not known to read back
// as the same value (or is not a scalar).
struct TextSettings {
    bool known = true;
    bool interval_style = false;
    bool monetary = false;
    bool date_style = false;
    bool time_zone = false;
};

// `in_text`: inside a range's text, where dates and timestamps are written by DateStyle rather
// than as to_jsonb's ISO 8601.
void cursor_text(Oid type, bool in_text, TextSettings* out) {
    check_stack_depth();
    Oid base = getBaseType(type);
    if (plain_scalar(base) || string_like(base) || base == FLOAT4OID || base == FLOAT8OID ||
        type_is_enum(base)) {
        return;
    }
    if (datetime(base)) {
        out->date_style = out->date_style || in_text;
        out->time_zone = out->time_zone || (in_text && base == TIMESTAMPTZOID);
    } else if (base == INTERVALOID) {
        out->interval_style = true;
    } else if (base == CASHOID) {
        out->monetary = true;
    } else if (type_is_range(base)) {
        cursor_text(get_range_subtype(base), true, out);
    } else if (type_is_multirange(base)) {
        cursor_text(get_range_subtype(get_multirange_range(base)), true, out);
    } else {
        out->known = false;  // json, jsonb, arrays, rows, and types whose text is not known
    }
}

}  // namespace

bool same_column_value(Oid relid, const std::string& column, const JsonValue& a,
                       const JsonValue& b) {
    if (same_scalar(a, b))
        return true;
    auto scalar_text = [](const JsonValue& value) -> std::optional<std::string> {
        switch (value.kind) {
            case JsonValue::Kind::kBool:
                return std::string(value.boolean ? "true" : "false");
            case JsonValue::Kind::kNumber:
            case JsonValue::Kind::kString:
                return value.text;
            default:
                return std::nullopt;
        }
    };
    std::optional<std::string> left = scalar_text(a), right = scalar_text(b);
    if (!left || !right)
        return false;
    ColumnInfo info = column_info(relid, column);
    const char* left_text = left->c_str();
    const char* right_text = right->c_str();
    Oid type = info.type;
    int32 typmod = info.typmod;
    AttrNumber attnum = info.attnum;
    return guarded([relid, attnum, type, typmod, left_text, right_text] {
        Oid input, io_parameter;
        getTypeInputInfo(type, &input, &io_parameter);
        TypeCacheEntry* entry = lookup_type_cache(getBaseType(type), TYPECACHE_EQ_OPR_FINFO);
        if (!OidIsValid(entry->eq_opr_finfo.fn_oid))
            return false;
        Datum x = OidInputFunctionCall(input, const_cast<char*>(left_text), io_parameter, typmod);
        Datum y = OidInputFunctionCall(input, const_cast<char*>(right_text), io_parameter, typmod);
        Oid column_type, collation;
        int32 column_typmod;
        get_atttypetypmodcoll(relid, attnum, &column_type, &column_typmod, &collation);
        return DatumGetBool(FunctionCall2Coll(&entry->eq_opr_finfo, collation, x, y));
    });
}

std::string reference_collation_sql(Oid source_relid, const std::string& source_column,
                                    Oid target_relid, const std::string& target_column) {
    AttrNumber source = column_info(source_relid, source_column).attnum;
    AttrNumber target = column_info(target_relid, target_column).attnum;
    struct Found {
        Oid collation;
        char* schema;
        char* name;
    };
    Found found = guarded([source_relid, source, target_relid, target]() -> Found {
        Oid type, source_collation, target_collation;
        int32 typmod;
        get_atttypetypmodcoll(source_relid, source, &type, &typmod, &source_collation);
        get_atttypetypmodcoll(target_relid, target, &type, &typmod, &target_collation);
        if (!OidIsValid(target_collation) || target_collation == source_collation ||
            get_collation_isdeterministic(target_collation)) {
            return Found{InvalidOid, nullptr, nullptr};
        }
        HeapTuple tuple = SearchSysCache1(COLLOID, ObjectIdGetDatum(target_collation));
        if (!HeapTupleIsValid(tuple))
            elog(ERROR, "cache lookup failed for collation %u", target_collation);
        auto* form = (Form_pg_collation)GETSTRUCT(tuple);
        Found out{target_collation, get_namespace_name(form->collnamespace),
                  pstrdup(NameStr(form->collname))};
        ReleaseSysCache(tuple);
        return out;
    });
    if (!OidIsValid(found.collation))
        return "";
    return " COLLATE " + quoted_identifier(found.schema) + "." + quoted_identifier(found.name);
}

bool floats_render_rounded() {
    return extra_float_digits < 1;
}

bool float_rendered_rounded(Oid type) {
    if (extra_float_digits >= 1)
        return false;
    return guarded([type] { return holds_float(type); });
}

std::optional<CursorSettings> cursor_settings(Oid type) {
    TextSettings found = guarded([type] {
        TextSettings settings;
        cursor_text(type, false, &settings);
        return settings;
    });
    if (!found.known)
        return std::nullopt;
    CursorSettings settings;
    auto shown = [](const char* name) {
        const char* value = GetConfigOption(name, true, false);
        return std::string(value == nullptr ? "" : value);
    };
    if (found.interval_style)
        settings.fixed += " IntervalStyle=" + shown("IntervalStyle");
    if (found.monetary)
        settings.fixed += " lc_monetary=" + shown("lc_monetary");
    if (found.date_style)
        settings.dates += " DateStyle=" + shown("DateStyle");
    if (found.time_zone) {
        settings.dates += " TimeZone=" + shown("TimeZone");
        // Other styles write zone abbreviations, which read back by timezone_abbreviations,
        // ambiguously (IST is India's or Israel's).
        settings.needs_iso = true;
    }
    return settings;
}

bool dates_written_iso() {
    return DateStyle == USE_ISO_DATES;
}

bool compares_directly(Oid column_type, Oid value_type, Oid operator_type) {
    return guarded([column_type, value_type, operator_type] {
        const char* schema = equality_schema(operator_type);
        if (schema == nullptr)
            return false;
        List* name = list_make2(makeString(pstrdup(schema)), makeString(pstrdup("=")));
        Operator found = oper(nullptr, name, column_type, value_type, true, -1);
        if (found == nullptr)
            return false;
        bool is_boolean = ((Form_pg_operator)GETSTRUCT(found))->oprresult == BOOLOID;
        ReleaseSysCache(found);
        return is_boolean;
    });
}

std::string type_display_name(Oid type) {
    return guarded([type] { return (const char*)format_type_be(type); });
}

bool has_column(Oid relid, const std::string& column) {
    const char* name = column.c_str();
    return guarded([relid, name] { return get_attnum(relid, name); }) > 0;
}

void register_catalog_callbacks() {
    CacheRegisterSyscacheCallback(CLAOID, forget_known_equalities, (Datum)0);
    CacheRegisterSyscacheCallback(AMOPSTRATEGY, forget_known_equalities, (Datum)0);
}

}  // namespace data_bridge::pg
