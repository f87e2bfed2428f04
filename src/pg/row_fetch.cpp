#include "data_bridge/pg/row_fetch.hpp"

#include "data_bridge/pg/boundary.hpp"
#include "data_bridge/pg/catalog.hpp"
#include "data_bridge/pg/settings.hpp"
#include "data_bridge/pg/snapshot_guard.hpp"

extern "C" {
#include "access/genam.h"
#include "access/relscan.h"
#include "access/tableam.h"
#include "catalog/pg_am.h"
#include "catalog/pg_index.h"
#include "catalog/pg_opclass.h"
#include "catalog/pg_operator.h"
#include "commands/defrem.h"
#include "executor/tuptable.h"
#include "nodes/makefuncs.h"
#include "utils/acl.h"
#include "utils/datum.h"
#include "utils/fmgroids.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/rls.h"
#include "utils/snapmgr.h"
#include "utils/syscache.h"
}

namespace data_bridge::pg {

namespace {

// Whether the index is (still) one the statement's plan could use for the column: valid, ready,
// live, immediate, unique, on this table with the column as its only key, non-partial, without
// expressions, and, if it was built with indcheckxmin, old enough for this transaction's
// snapshots (the planner's own rule). Checked on every call: the shape keeps the index's OID.
bool index_usable(Oid index, Oid table, AttrNumber column) {
    HeapTuple tuple = SearchSysCache1(INDEXRELID, ObjectIdGetDatum(index));
    if (!HeapTupleIsValid(tuple))
        return false;
    auto* form = (Form_pg_index)GETSTRUCT(tuple);
    bool usable = form->indrelid == table && form->indisunique && form->indisvalid &&
                  form->indisready && form->indislive && form->indimmediate &&
                  form->indnkeyatts == 1 && form->indkey.values[0] == column &&
                  heap_attisnull(tuple, Anum_pg_index_indpred, nullptr) &&
                  heap_attisnull(tuple, Anum_pg_index_indexprs, nullptr) &&
                  (!form->indcheckxmin ||
                   TransactionIdPrecedes(HeapTupleHeaderGetXmin(tuple->t_data), TransactionXmin));
    ReleaseSysCache(tuple);
    return usable;
}

// A unique btree index usable for the column (above), of the type's default operator class and
// the column's collation (so its equality is the `=` the statement would use): InvalidOid if none.
Oid unique_index_of(Relation heap, AttrNumber column, Oid type) {
    Oid default_class = GetDefaultOpClass(type, BTREE_AM_OID);
    if (!OidIsValid(default_class))
        return InvalidOid;
    List* indexes = RelationGetIndexList(heap);
    Oid found = InvalidOid;
    ListCell* cell;
    foreach (cell, indexes) {
        Oid index = lfirst_oid(cell);
        bool usable = index_usable(index, RelationGetRelid(heap), column);
        if (usable) {
            HeapTuple tuple = SearchSysCache1(INDEXRELID, ObjectIdGetDatum(index));
            bool class_null, collation_null;
            Datum classes = SysCacheGetAttr(INDEXRELID, tuple, Anum_pg_index_indclass, &class_null);
            Datum collations =
                SysCacheGetAttr(INDEXRELID, tuple, Anum_pg_index_indcollation, &collation_null);
            // A btree operator class: the index is a btree.
            usable = !class_null && !collation_null &&
                     ((oidvector*)DatumGetPointer(classes))->values[0] == default_class &&
                     ((oidvector*)DatumGetPointer(collations))->values[0] ==
                         TupleDescAttr(RelationGetDescr(heap), column - 1)->attcollation;
            ReleaseSysCache(tuple);
        }
        if (usable) {
            found = index;
            break;
        }
    }
    list_free(indexes);
    return found;
}

// Whether the caller may read these columns of the table (the statement reads them).
bool columns_readable(Oid relid, std::initializer_list<AttrNumber> columns) {
    Oid user = GetUserId();
    if (pg_class_aclcheck(relid, user, ACL_SELECT) == ACLCHECK_OK)
        return true;
    for (AttrNumber column : columns) {
        if (pg_attribute_aclcheck(relid, column, user, ACL_SELECT) != ACLCHECK_OK)
            return false;
    }
    return true;
}

// The table's own rows only (no inheritance children: FROM would read theirs too), no policy.
bool plain_table(Relation heap) {
    return heap->rd_rel->relkind == RELKIND_RELATION && !heap->rd_rel->relhassubclass &&
           check_enable_rls(RelationGetRelid(heap), InvalidOid, true) == RLS_NONE;
}

Oid column_type(Relation heap, AttrNumber column) {
    return TupleDescAttr(RelationGetDescr(heap), column - 1)->atttypid;
}

// The index's equality operator for its key: of the operator class's own type (a domain's values
// are its base type's; the column's type matched the value's, and the class is its default one).
Oid index_equality(Relation index) {
    Oid type = index->rd_opcintype[0];
    return get_opfamily_member(index->rd_opfamily[0], type, type, BTEqualStrategyNumber);
}

// What the statement's parsing and execution check besides the table: USAGE on the schemas it
// names things in, EXECUTE on to_jsonb and on the equality operator's function (its `=`).
bool statement_rights(Relation heap, Oid index) {
    Oid user = GetUserId();
    Relation opened = index_open(index, AccessShareLock);
    Oid equals = index_equality(opened);
    index_close(opened, NoLock);
    HeapTuple operator_tuple = SearchSysCache1(OPEROID, ObjectIdGetDatum(equals));
    if (!HeapTupleIsValid(operator_tuple))
        return false;
    auto* operator_form = (Form_pg_operator)GETSTRUCT(operator_tuple);
    Oid operator_schema = operator_form->oprnamespace;
    Oid function = operator_form->oprcode;
    ReleaseSysCache(operator_tuple);
    // The statement names the table, pg_catalog.to_jsonb and OPERATOR(schema.=) by their schemas.
    auto usable = [user](Oid schema) {
        return pg_namespace_aclcheck(schema, user, ACL_USAGE) == ACLCHECK_OK;
    };
    return usable(RelationGetNamespace(heap)) && usable(PG_CATALOG_NAMESPACE) &&
           usable(operator_schema) &&
           pg_proc_aclcheck(F_TO_JSONB, user, ACL_EXECUTE) == ACLCHECK_OK &&
           pg_proc_aclcheck(function, user, ACL_EXECUTE) == ACLCHECK_OK;
}

// Whether the plain statement would read the table itself, every column, no policy in the way.
bool direct_read_allowed(Relation heap) {
    Oid relid = RelationGetRelid(heap);
    Oid user = GetUserId();
    bool all_columns =
        pg_class_aclcheck(relid, user, ACL_SELECT) == ACLCHECK_OK ||
        pg_attribute_aclcheck_all(relid, user, ACL_SELECT, ACLMASK_ALL) == ACLCHECK_OK;
    return plain_table(heap) && all_columns;
}

// PostgreSQL's to_jsonb of the row, called as SQL calls it on a whole-row value of the table's
// row type.
Datum row_to_jsonb(Relation heap, HeapTuple tuple) {
    Datum row = heap_copy_tuple_as_datum(tuple, RelationGetDescr(heap));
    FmgrInfo to_jsonb_info;
    fmgr_info(F_TO_JSONB, &to_jsonb_info);
    Const* argument = makeNullConst(heap->rd_rel->reltype, -1, InvalidOid);
    to_jsonb_info.fn_expr = (Node*)makeFuncExpr(F_TO_JSONB, JSONBOID, list_make1(argument),
                                                InvalidOid, InvalidOid, COERCE_EXPLICIT_CALL);
    return FunctionCall1(&to_jsonb_info, row);
}

// The row of the opened table whose indexed column equals `value`, as a copy (nullptr: none),
// by the index's own equality, under the statement's snapshot.
HeapTuple read_by_index(Relation heap, Oid index_oid, Datum value) {
    refuse_storage_newer_than(heap, GetActiveSnapshot());
    Relation index = index_open(index_oid, AccessShareLock);
    Oid equals = index_equality(index);
    ScanKeyData key;
    ScanKeyEntryInitialize(&key, 0, 1, BTEqualStrategyNumber, InvalidOid, index->rd_indcollation[0],
                           get_opcode(equals), value);
    IndexScanDesc scan = index_beginscan(heap, index, GetActiveSnapshot(), 1, 0);
    index_rescan(scan, &key, 1, nullptr, 0);
    TupleTableSlot* slot = table_slot_create(heap, nullptr);
    HeapTuple found = nullptr;
    if (index_getnext_slot(scan, ForwardScanDirection, slot))
        found = ExecCopySlotHeapTuple(slot);
    ExecDropSingleTupleTableSlot(slot);
    index_endscan(scan);
    // Locks are kept to the end of the transaction, as the statement keeps them.
    index_close(index, NoLock);
    return found;
}

// On a Citus coordinator a distributed or reference table is an empty shell: its rows are on
// the workers, where only the statement reaches them.
bool managed_by_citus(Oid table) {
    return citus_present() && citus_table(table).managed;
}

}  // namespace

Oid direct_read_index(Oid table, AttrNumber column, Oid value_type) {
    if (managed_by_citus(table))
        return InvalidOid;
    return guarded([table, column, value_type] {
        Relation heap = table_open(table, AccessShareLock);
        Oid index =
            heap->rd_rel->relkind == RELKIND_RELATION && column_type(heap, column) == value_type
                ? unique_index_of(heap, column, value_type)
                : InvalidOid;
        table_close(heap, NoLock);
        return index;
    });
}

void resolve_through_key(ThroughKey& through, Oid key_type) {
    if (managed_by_citus(through.source) || managed_by_citus(through.target)) {
        through.source_index = through.target_index = InvalidOid;
        return;
    }
    ThroughKey* path = &through;
    guarded([path, key_type] {
        Relation source = table_open(path->source, AccessShareLock);
        Relation target = table_open(path->target, AccessShareLock);
        Oid reference_type = column_type(source, path->referencing);
        // Columns of different collations do not join in the statement (42P22).
        bool plain =
            source->rd_rel->relkind == RELKIND_RELATION &&
            target->rd_rel->relkind == RELKIND_RELATION &&
            column_type(source, path->source_key) == key_type &&
            column_type(target, path->referenced) == reference_type &&
            TupleDescAttr(RelationGetDescr(source), path->referencing - 1)->attcollation ==
                TupleDescAttr(RelationGetDescr(target), path->referenced - 1)->attcollation;
        path->source_index =
            plain ? unique_index_of(source, path->source_key, key_type) : InvalidOid;
        path->target_index =
            plain ? unique_index_of(target, path->referenced, reference_type) : InvalidOid;
        table_close(target, NoLock);
        table_close(source, NoLock);
    });
}

std::optional<SingleValue> fetch_by_unique_index(Oid table, AttrNumber column, Oid index,
                                                 Datum value) {
    if (!direct_fetch || !OidIsValid(index))
        return std::nullopt;
    struct Outcome {
        bool applies;
        SingleValue value;
    };
    Outcome outcome = guarded([table, column, index, value]() -> Outcome {
        Relation heap = table_open(table, AccessShareLock);
        Outcome out{index_usable(index, table, column) && direct_read_allowed(heap) &&
                        statement_rights(heap, index),
                    {(Datum)0, true}};
        if (out.applies) {
            HeapTuple row = read_by_index(heap, index, value);
            if (row != nullptr)
                out.value = {row_to_jsonb(heap, row), false};
        }
        table_close(heap, NoLock);  // the statement takes the same lock
        return out;
    });
    if (!outcome.applies)
        return std::nullopt;
    return outcome.value;
}

std::optional<SingleValue> find_by_unique_index(Oid table, AttrNumber column, Oid value_type,
                                                Datum value, MemoryContext memory) {
    if (!direct_fetch || managed_by_citus(table))
        return std::nullopt;
    struct Outcome {
        bool applies;
        SingleValue value;
    };
    Outcome outcome = guarded([table, column, value_type, value, memory]() -> Outcome {
        Relation heap = table_open(table, AccessShareLock);
        Outcome out{false, {(Datum)0, true}};
        Oid index =
            heap->rd_rel->relkind == RELKIND_RELATION && column_type(heap, column) == value_type
                ? unique_index_of(heap, column, value_type)
                : InvalidOid;
        out.applies = OidIsValid(index) && plain_table(heap) && columns_readable(table, {column}) &&
                      statement_rights(heap, index);
        if (out.applies) {
            HeapTuple row = read_by_index(heap, index, value);
            if (row != nullptr) {
                Form_pg_attribute attribute = TupleDescAttr(RelationGetDescr(heap), column - 1);
                bool is_null;
                Datum stored = heap_getattr(row, column, RelationGetDescr(heap), &is_null);
                MemoryContext previous = MemoryContextSwitchTo(memory);
                out.value = {datumCopy(stored, attribute->attbyval, attribute->attlen), is_null};
                MemoryContextSwitchTo(previous);
            }
        }
        table_close(heap, NoLock);  // the statement takes the same lock
        return out;
    });
    if (!outcome.applies)
        return std::nullopt;
    return outcome.value;
}

std::optional<SingleValue> fetch_through_key(const ThroughKey& through, Datum key_value) {
    if (!direct_fetch || !OidIsValid(through.source_index) || !OidIsValid(through.target_index))
        return std::nullopt;
    struct Outcome {
        bool applies;
        SingleValue value;
    };
    ThroughKey path = through;  // captured by value in the guarded lambda
    Outcome outcome = guarded([path, key_value]() -> Outcome {
        Relation source = table_open(path.source, AccessShareLock);
        Relation target = table_open(path.target, AccessShareLock);
        Outcome out{index_usable(path.source_index, path.source, path.source_key) &&
                        index_usable(path.target_index, path.target, path.referenced) &&
                        plain_table(source) && direct_read_allowed(target) &&
                        columns_readable(path.source, {path.source_key, path.referencing}) &&
                        statement_rights(source, path.source_index) &&
                        statement_rights(target, path.target_index),
                    {(Datum)0, true}};
        if (out.applies) {
            HeapTuple row = read_by_index(source, path.source_index, key_value);
            bool isnull = true;
            Datum reference = row != nullptr ? heap_getattr(row, path.referencing,
                                                            RelationGetDescr(source), &isnull)
                                             : (Datum)0;
            // A NULL reference joins no row, as in the statement's join.
            HeapTuple related =
                isnull ? nullptr : read_by_index(target, path.target_index, reference);
            if (related != nullptr)
                out.value = {row_to_jsonb(target, related), false};
        }
        table_close(target, NoLock);
        table_close(source, NoLock);
        return out;
    });
    if (!outcome.applies)
        return std::nullopt;
    return outcome.value;
}

}  // namespace data_bridge::pg
