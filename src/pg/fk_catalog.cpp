#include "data_bridge/pg/fk_catalog.hpp"

#include <optional>
#include <string>
#include <vector>

#include "data_bridge/core/index_coverage.hpp"
#include "data_bridge/pg/boundary.hpp"
#include "data_bridge/pg/catalog.hpp"
#include "data_bridge/pg/fk_cache.hpp"
#include "data_bridge/pg/postgres.hpp"

extern "C" {
#include "catalog/pg_am.h"
#include "catalog/dependency.h"
#include "catalog/pg_depend.h"
}

namespace data_bridge::pg {

namespace {

// Phase 1 gathers the catalog rows into plain palloc'd structs, in C style, inside one guarded()
// call; phase 2 turns them into the C++ model with no PostgreSQL call in between.

struct RawKey {
    Oid oid;
    char* name;
    Oid source_relid;
    Oid target_relid;
    const char* source_schema;
    char* source_name;
    const char* target_schema;
    char* target_name;
    int nkeys;
    AttrNumber source_attnums[INDEX_MAX_KEYS];
    AttrNumber target_attnums[INDEX_MAX_KEYS];
    char* source_columns[INDEX_MAX_KEYS];
    Oid source_collations[INDEX_MAX_KEYS];
    char* target_columns[INDEX_MAX_KEYS];
    int nset_columns;
    char* set_columns[INDEX_MAX_KEYS];
    char on_delete;
    char on_update;
    char match;
    bool deferrable;
    bool deferred;
    bool validated;
    List* indexes;  // of IndexFacts*, the indexes of the referencing table
};

const char* schema_of(Oid relid) {
    return schema_name_for_sql(get_rel_namespace(relid));
}

// One pg_constraint row of a foreign key as a RawKey, or null when a table it names was dropped
// by a concurrent transaction since the scan's snapshot.
RawKey* read_raw_key(HeapTuple tuple, Relation pg_index) {
    auto* form = (Form_pg_constraint)GETSTRUCT(tuple);
    auto* raw = (RawKey*)palloc0(sizeof(RawKey));
    raw->oid = form->oid;
    raw->name = pstrdup(NameStr(form->conname));
    raw->source_relid = form->conrelid;
    raw->target_relid = form->confrelid;
    raw->source_schema = schema_of(form->conrelid);
    raw->source_name = get_rel_name(form->conrelid);
    raw->target_schema = schema_of(form->confrelid);
    raw->target_name = get_rel_name(form->confrelid);
    // A table dropped by a concurrent transaction since the scan's snapshot: skip its key.
    if (raw->source_schema == nullptr || raw->source_name == nullptr ||
        raw->target_schema == nullptr || raw->target_name == nullptr) {
        return nullptr;
    }

    AttrNumber set_attnums[INDEX_MAX_KEYS];
    DeconstructFkConstraintRow(tuple, &raw->nkeys, raw->source_attnums, raw->target_attnums,
                               nullptr, nullptr, nullptr, &raw->nset_columns, set_attnums);
    for (int i = 0; i < raw->nkeys; i++) {
        raw->source_columns[i] = get_attname(form->conrelid, raw->source_attnums[i], false);
        Oid type;
        int32 typmod;
        get_atttypetypmodcoll(form->conrelid, raw->source_attnums[i], &type, &typmod,
                              &raw->source_collations[i]);
        raw->target_columns[i] = get_attname(form->confrelid, raw->target_attnums[i], false);
    }
    for (int i = 0; i < raw->nset_columns; i++) {
        raw->set_columns[i] = get_attname(form->conrelid, set_attnums[i], false);
    }
    raw->on_delete = form->confdeltype;
    raw->on_update = form->confupdtype;
    raw->match = form->confmatchtype;
    raw->deferrable = form->condeferrable;
    raw->deferred = form->condeferred;
    raw->validated = form->convalidated;
    raw->indexes = read_indexes(pg_index, form->conrelid);
    return raw;
}

List* read_raw_keys() {
    Relation pg_constraint = table_open(ConstraintRelationId, AccessShareLock);
    Relation pg_index = table_open(IndexRelationId, AccessShareLock);
    ScanKeyData key;
    ScanKeyInit(&key, Anum_pg_constraint_contype, BTEqualStrategyNumber, F_CHAREQ,
                CharGetDatum(CONSTRAINT_FOREIGN));
    SysScanDesc scan = systable_beginscan(pg_constraint, InvalidOid, false, nullptr, 1, &key);

    List* keys = NIL;
    HeapTuple tuple;
    while (HeapTupleIsValid(tuple = systable_getnext(scan))) {
        auto* form = (Form_pg_constraint)GETSTRUCT(tuple);
        if (OidIsValid(form->conparentid))
            continue;  // a partition's clone of a parent's key

        RawKey* raw = read_raw_key(tuple, pg_index);
        if (raw == nullptr)
            continue;
        keys = lappend(keys, raw);
    }
    systable_endscan(scan);
    table_close(pg_index, AccessShareLock);
    table_close(pg_constraint, AccessShareLock);
    return keys;
}

// Whether the index compares each key column under the column's own collation, as the lookups
// of a key do: an index on (code COLLATE "C") does not find a default-collation key's rows.
bool same_collations(const RawKey& raw, const IndexFacts& index) {
    for (int i = 0; i < raw.nkeys; i++) {
        for (int at = 0; at < index.nkeys; at++) {
            if (index.keys[at] == raw.source_attnums[i] &&
                index.collations[at] != raw.source_collations[i])
                return false;
        }
    }
    return true;
}

ForeignKey to_model(const RawKey& raw) {
    ForeignKey key;
    key.id = raw.oid;
    key.name = raw.name;
    key.source_relid = raw.source_relid;
    key.source = {raw.source_schema, raw.source_name};
    key.target_relid = raw.target_relid;
    key.target = {raw.target_schema, raw.target_name};
    for (int i = 0; i < raw.nkeys; i++) {
        key.source_attnums.push_back(raw.source_attnums[i]);
        key.target_attnums.push_back(raw.target_attnums[i]);
        key.source_columns.emplace_back(raw.source_columns[i]);
        key.target_columns.emplace_back(raw.target_columns[i]);
    }
    for (int i = 0; i < raw.nset_columns; i++)
        key.on_delete_set_columns.emplace_back(raw.set_columns[i]);
    key.on_delete = fk_action_from_code(raw.on_delete);
    key.on_update = fk_action_from_code(raw.on_update);
    key.match = fk_match_from_code(raw.match);
    key.deferrable = raw.deferrable;
    key.initially_deferred = raw.deferred;
    key.validated = raw.validated;

    std::vector<IndexShape> indexes;
    ListCell* cell;
    foreach (cell, raw.indexes) {
        const auto* index = (const IndexFacts*)lfirst(cell);
        IndexShape shape;
        shape.key_attnums.assign(index->keys, index->keys + index->nkeys);
        shape.is_partial = index->partial;
        shape.is_valid = index->valid;
        shape.finds_keys =
            (index->am == BTREE_AM_OID || index->am == HASH_AM_OID) && same_collations(raw, *index);
        indexes.push_back(std::move(shape));
    }
    key.indexed = any_index_covers(key.source_attnums, indexes);
    return key;
}

// The foreign key with this constraint OID, or null when there is none (dropped).
RawKey* read_raw_key_by_oid(Oid constraint) {
    HeapTuple tuple = SearchSysCache1(CONSTROID, ObjectIdGetDatum(constraint));
    if (!HeapTupleIsValid(tuple))
        return nullptr;
    RawKey* raw = nullptr;
    if (((Form_pg_constraint)GETSTRUCT(tuple))->contype == CONSTRAINT_FOREIGN) {
        Relation pg_index = table_open(IndexRelationId, AccessShareLock);
        raw = read_raw_key(tuple, pg_index);
        table_close(pg_index, AccessShareLock);
    }
    ReleaseSysCache(tuple);
    return raw;
}

// The foreign keys declared on a table (through pg_constraint's index on conrelid), as a List
// of RawKey*. A partition's clone of its parent's key is left out, as in read_raw_keys().
List* read_raw_keys_declared_on(Oid table) {
    Relation pg_constraint = table_open(ConstraintRelationId, AccessShareLock);
    Relation pg_index = table_open(IndexRelationId, AccessShareLock);
    ScanKeyData key;
    ScanKeyInit(&key, Anum_pg_constraint_conrelid, BTEqualStrategyNumber, F_OIDEQ,
                ObjectIdGetDatum(table));
    SysScanDesc scan =
        systable_beginscan(pg_constraint, ConstraintRelidTypidNameIndexId, true, nullptr, 1, &key);
    List* keys = NIL;
    HeapTuple tuple;
    while (HeapTupleIsValid(tuple = systable_getnext(scan))) {
        auto* form = (Form_pg_constraint)GETSTRUCT(tuple);
        if (form->contype != CONSTRAINT_FOREIGN || OidIsValid(form->conparentid))
            continue;
        RawKey* raw = read_raw_key(tuple, pg_index);
        if (raw != nullptr)
            keys = lappend(keys, raw);
    }
    systable_endscan(scan);
    table_close(pg_index, AccessShareLock);
    table_close(pg_constraint, AccessShareLock);
    return keys;
}

// The foreign keys that reference a table. pg_constraint has no index on confrelid, but every
// foreign key records a dependency on the columns it references, and pg_depend has an index on
// the referenced object: the constraints found there are read by OID.
List* read_raw_keys_referencing(Oid table) {
    Relation pg_depend = table_open(DependRelationId, AccessShareLock);
    ScanKeyData keys_of[2];
    ScanKeyInit(&keys_of[0], Anum_pg_depend_refclassid, BTEqualStrategyNumber, F_OIDEQ,
                ObjectIdGetDatum(RelationRelationId));
    ScanKeyInit(&keys_of[1], Anum_pg_depend_refobjid, BTEqualStrategyNumber, F_OIDEQ,
                ObjectIdGetDatum(table));
    SysScanDesc scan =
        systable_beginscan(pg_depend, DependReferenceIndexId, true, nullptr, 2, keys_of);
    List* constraints = NIL;
    HeapTuple tuple;
    while (HeapTupleIsValid(tuple = systable_getnext(scan))) {
        auto* form = (Form_pg_depend)GETSTRUCT(tuple);
        if (form->classid == ConstraintRelationId && form->deptype == DEPENDENCY_NORMAL)
            constraints = list_append_unique_oid(constraints, form->objid);
    }
    systable_endscan(scan);
    table_close(pg_depend, AccessShareLock);

    Relation pg_index = table_open(IndexRelationId, AccessShareLock);
    List* keys = NIL;
    ListCell* cell;
    foreach (cell, constraints) {
        HeapTuple constraint = SearchSysCache1(CONSTROID, ObjectIdGetDatum(lfirst_oid(cell)));
        if (!HeapTupleIsValid(constraint))
            continue;
        auto* form = (Form_pg_constraint)GETSTRUCT(constraint);
        if (form->contype == CONSTRAINT_FOREIGN && form->confrelid == table &&
            !OidIsValid(form->conparentid)) {
            RawKey* raw = read_raw_key(constraint, pg_index);
            if (raw != nullptr)
                keys = lappend(keys, raw);
        }
        ReleaseSysCache(constraint);
    }
    table_close(pg_index, AccessShareLock);
    return keys;
}

// Reads keys with `reader` in a scratch memory context and turns them into the model.
std::vector<ForeignKey> read_keys_with(List* (*reader)(Oid), Oid table) {
    MemoryContext scratch = guarded([] {
        return AllocSetContextCreate(CurrentMemoryContext, "data_bridge foreign keys",
                                     ALLOCSET_DEFAULT_SIZES);
    });
    List* raw_keys = guarded([scratch, reader, table] {
        MemoryContext previous = MemoryContextSwitchTo(scratch);
        List* keys = reader(table);
        MemoryContextSwitchTo(previous);
        return keys;
    });
    std::vector<ForeignKey> keys;
    ListCell* cell;
    foreach (cell, raw_keys)
        keys.push_back(to_model(*(const RawKey*)lfirst(cell)));
    guarded([scratch] { MemoryContextDelete(scratch); });
    return keys;
}

}  // namespace

std::vector<ForeignKey> CatalogFkSource::declared_on(RelationId table) const {
    return read_keys_with(read_raw_keys_declared_on, table);
}

std::vector<ForeignKey> CatalogFkSource::referencing(RelationId table) const {
    return read_keys_with(read_raw_keys_referencing, table);
}

std::optional<ForeignKey> read_foreign_key(ConstraintId constraint) {
    MemoryContext scratch = guarded([] {
        return AllocSetContextCreate(CurrentMemoryContext, "data_bridge foreign key",
                                     ALLOCSET_SMALL_SIZES);
    });
    RawKey* raw = guarded([scratch, constraint] {
        MemoryContext previous = MemoryContextSwitchTo(scratch);
        RawKey* key = read_raw_key_by_oid(constraint);
        MemoryContextSwitchTo(previous);
        return key;
    });
    std::optional<ForeignKey> key;
    if (raw != nullptr)
        key = to_model(*raw);
    guarded([scratch] { MemoryContextDelete(scratch); });
    return key;
}

std::vector<ForeignKey> read_foreign_keys() {
    // The raw rows live in a context of their own, dropped once converted.
    MemoryContext scratch = guarded([] {
        return AllocSetContextCreate(CurrentMemoryContext, "data_bridge foreign keys",
                                     ALLOCSET_DEFAULT_SIZES);
    });
    List* raw_keys = guarded([scratch] {
        MemoryContext previous = MemoryContextSwitchTo(scratch);
        List* keys = read_raw_keys();
        MemoryContextSwitchTo(previous);
        return keys;
    });

    std::vector<ForeignKey> keys;
    keys.reserve(list_length(raw_keys));
    ListCell* cell;
    foreach (cell, raw_keys)
        keys.push_back(to_model(*(const RawKey*)lfirst(cell)));

    guarded([scratch] { MemoryContextDelete(scratch); });
    return keys;
}

}  // namespace data_bridge::pg
