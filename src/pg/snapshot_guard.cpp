#include "data_bridge/pg/snapshot_guard.hpp"

extern "C" {
#include "access/relation.h"
#include "executor/executor.h"
#include "executor/spi_priv.h"
#include "utils/snapmgr.h"
}

namespace data_bridge::pg {

namespace {

ExecutorStart_hook_type previous_executor_start = nullptr;

// The text of the statement data_bridge is running (nullptr: none). Statements of the caller's
// code that it runs (a policy's function, a view's) are not data_bridge's to check.
const char* own_statement = nullptr;

// Whether the table's storage was set by a transaction the snapshot does not see. Called for
// every table of every statement: the usual answer comes from the catalog cache alone.
bool storage_newer_than(Oid relid, Snapshot snapshot) {
    HeapTuple tuple = SearchSysCache1(RELOID, ObjectIdGetDatum(relid));
    if (!HeapTupleIsValid(tuple))
        return false;
    TransactionId changed_by = HeapTupleHeaderGetXmin(tuple->t_data);
    Oid storage = ((Form_pg_class)GETSTRUCT(tuple))->relfilenode;
    ReleaseSysCache(tuple);
    if (!TransactionIdIsNormal(changed_by) || TransactionIdIsCurrentTransactionId(changed_by) ||
        !XidInMVCCSnapshot(changed_by, snapshot))
        return false;
    // The catalog row changed after the snapshot. A GRANT or a new column leaves the rows where
    // the snapshot sees them; a new relfilenode (or no row at all: a table created since) does not.
    Relation pg_class = table_open(RelationRelationId, AccessShareLock);
    ScanKeyData key;
    ScanKeyInit(&key, Anum_pg_class_oid, BTEqualStrategyNumber, F_OIDEQ, ObjectIdGetDatum(relid));
    SysScanDesc scan = systable_beginscan(pg_class, ClassOidIndexId, true, snapshot, 1, &key);
    HeapTuple seen = systable_getnext(scan);
    bool newer =
        !HeapTupleIsValid(seen) || ((Form_pg_class)GETSTRUCT(seen))->relfilenode != storage;
    systable_endscan(scan);
    table_close(pg_class, AccessShareLock);
    return newer;
}

bool has_storage(char relkind) {
    return relkind == RELKIND_RELATION || relkind == RELKIND_MATVIEW;
}

// Every table the statement reads (partitions and a view's tables included: the plan's range
// table), locked by now, against the statement's snapshot.
void check_statement(QueryDesc* query) {
    ListCell* cell;
    foreach (cell, query->plannedstmt->rtable) {
        auto* entry = lfirst_node(RangeTblEntry, cell);
        if (entry->rtekind != RTE_RELATION || !has_storage(entry->relkind))
            continue;
        Relation heap = relation_open(entry->relid, NoLock);
        refuse_storage_newer_than(heap, query->snapshot);
        relation_close(heap, NoLock);
    }
}

bool is_own_statement(const char* source) {
    return own_statement != nullptr && source != nullptr &&
           (source == own_statement || strcmp(source, own_statement) == 0);
}

// A C function in all but name: PostgreSQL's errors pass through it as they do through C.
void guard_executor_start(QueryDesc* query, int eflags) {
    if ((eflags & EXEC_FLAG_EXPLAIN_ONLY) == 0 && is_own_statement(query->sourceText))
        check_statement(query);
    if (previous_executor_start != nullptr)
        previous_executor_start(query, eflags);
    else
        standard_ExecutorStart(query, eflags);
}

// A statement that ended in an error past data_bridge's own handling leaves no text behind.
void forget_own_statement(XactEvent event, void*) {
    if (event == XACT_EVENT_ABORT || event == XACT_EVENT_PARALLEL_ABORT)
        own_statement = nullptr;
}

}  // namespace

void register_snapshot_guard() {
    previous_executor_start = ExecutorStart_hook;
    ExecutorStart_hook = guard_executor_start;
    RegisterXactCallback(forget_own_statement, nullptr);
}

const char* begin_own_statement(SPIPlanPtr plan) {
    const char* previous = own_statement;
    const auto* kept = reinterpret_cast<const _SPI_plan*>(plan);
    own_statement =
        kept->plancache_list == NIL
            ? nullptr
            : static_cast<const CachedPlanSource*>(linitial(kept->plancache_list))->query_string;
    return previous;
}

void end_own_statement(const char* previous) {
    own_statement = previous;
}

void refuse_storage_newer_than(Relation heap, Snapshot snapshot) {
    if (IsolationUsesXactSnapshot() || snapshot == nullptr || !IsMVCCSnapshot(snapshot) ||
        !storage_newer_than(RelationGetRelid(heap), snapshot))
        return;
    ereport(ERROR,
            (errcode(ERRCODE_T_R_SERIALIZATION_FAILURE),
             errmsg("could not read table \"%s\" as of this statement's snapshot",
                    RelationGetRelationName(heap)),
             errdetail("Another transaction truncated or rewrote the table and committed after "
                       "the statement began: its rows are not visible to the statement."),
             errhint("Run the call again."), errtable(heap)));
}

}  // namespace data_bridge::pg
