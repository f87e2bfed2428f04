#include "data_bridge/pg/snapshot_guard.hpp"

extern "C" {
#include "access/relation.h"
#include "access/subtrans.h"
#include "catalog/pg_am.h"
#include "storage/bufmgr.h"
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

// Whether a row on the table's first page was written by the transaction (or a subtransaction
// of the transaction) `writer`. A rewrite (ALTER TABLE) writes every row again under its own
// transaction, and so does a TRUNCATE followed by inserts in the same transaction, filling the
// new storage from its first page; VACUUM FULL, CLUSTER and SET TABLESPACE copy the rows with
// their own xmin, and REFRESH MATERIALIZED VIEW writes them frozen.
bool first_page_written_by(Oid relid, TransactionId writer) {
    Relation heap = relation_open(relid, NoLock);
    bool written = false;
    if (heap->rd_rel->relam == HEAP_TABLE_AM_OID && RelationGetNumberOfBlocks(heap) > 0) {
        // Not visible to the snapshot: at least its xmin, so at least TransactionXmin, which
        // pg_subtrans covers.
        TransactionId top = SubTransGetTopmostTransaction(writer);
        Buffer buffer = ReadBuffer(heap, 0);
        LockBuffer(buffer, BUFFER_LOCK_SHARE);
        Page page = BufferGetPage(buffer);
        OffsetNumber last = PageGetMaxOffsetNumber(page);
        for (OffsetNumber at = FirstOffsetNumber; at <= last && !written; at++) {
            ItemId item = PageGetItemId(page, at);
            if (!ItemIdIsNormal(item))
                continue;
            auto tuple = (HeapTupleHeader)PageGetItem(page, item);
            TransactionId xmin = HeapTupleHeaderGetRawXmin(tuple);
            if (HeapTupleHeaderXminFrozen(tuple) || !TransactionIdIsNormal(xmin) ||
                TransactionIdPrecedes(xmin, TransactionXmin))
                continue;
            written = xmin == writer || SubTransGetTopmostTransaction(xmin) == top;
        }
        UnlockReleaseBuffer(buffer);
    }
    relation_close(heap, NoLock);
    return written;
}

// Whether the table's rows were written again by a transaction the snapshot does not see (its
// storage replaced, the rows in it that transaction's). Called for every table of every
// statement: the usual answer comes from the catalog cache alone.
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
    // the snapshot sees them; a new relfilenode (or no row at all: a table created since) may
    // not.
    Relation pg_class = table_open(RelationRelationId, AccessShareLock);
    ScanKeyData key;
    ScanKeyInit(&key, Anum_pg_class_oid, BTEqualStrategyNumber, F_OIDEQ, ObjectIdGetDatum(relid));
    SysScanDesc scan = systable_beginscan(pg_class, ClassOidIndexId, true, snapshot, 1, &key);
    HeapTuple seen = systable_getnext(scan);
    bool newer =
        !HeapTupleIsValid(seen) || ((Form_pg_class)GETSTRUCT(seen))->relfilenode != storage;
    systable_endscan(scan);
    table_close(pg_class, AccessShareLock);
    return newer && first_page_written_by(relid, changed_by);
}

bool has_storage(char relkind) {
    return relkind == RELKIND_RELATION || relkind == RELKIND_MATVIEW;
}

bool checked_here(Snapshot snapshot) {
    return !IsolationUsesXactSnapshot() && snapshot != nullptr && IsMVCCSnapshot(snapshot);
}

[[noreturn]] void refuse_storage(Relation heap) {
    ereport(ERROR,
            (errcode(ERRCODE_T_R_SERIALIZATION_FAILURE),
             errmsg("could not read table \"%s\" as of this statement's snapshot",
                    RelationGetRelationName(heap)),
             errdetail("Another transaction rewrote the table (or truncated and filled it) and "
                       "committed after the statement began: its rows are not visible to the "
                       "statement."),
             errhint("Run the call again."), errtable(heap)));
    pg_unreachable();
}

// Every table the statement reads (partitions and a view's tables included: the plan's range
// table), locked by now, against the statement's snapshot.
void check_statement(QueryDesc* query) {
    if (!checked_here(query->snapshot))
        return;
    ListCell* cell;
    foreach (cell, query->plannedstmt->rtable) {
        auto* entry = lfirst_node(RangeTblEntry, cell);
        if (entry->rtekind == RTE_RELATION && has_storage(entry->relkind) &&
            storage_newer_than(entry->relid, query->snapshot))
            refuse_storage(relation_open(entry->relid, NoLock));
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
    if (checked_here(snapshot) && storage_newer_than(RelationGetRelid(heap), snapshot))
        refuse_storage(heap);
}

}  // namespace data_bridge::pg
