#include <fmt/format.h>

#include "data_bridge/pg/statement.hpp"

#include <initializer_list>
#include <unordered_map>
#include <vector>

#include "data_bridge/pg/boundary.hpp"
#include "data_bridge/pg/catalog.hpp"
#include "data_bridge/pg/settings.hpp"
#include "data_bridge/pg/snapshot_guard.hpp"
#include "data_bridge/pg/spi.hpp"

extern "C" {
#include "nodes/nodeFuncs.h"
#include "nodes/plannodes.h"
#include "access/detoast.h"
#include "executor/spi_priv.h"
#include "executor/tuptable.h"
#include "nodes/params.h"
#include "optimizer/cost.h"
#include "utils/inval.h"
#include "tcop/dest.h"
#include "utils/plancache.h"
}

namespace data_bridge::pg {

namespace {

std::unordered_map<std::string, SPIPlanPtr> plans;
long plans_prepared = 0;
long plan_hits = 0;

// Whether the kept plans take more than data_bridge.max_cached_plan_memory, measured before each
// new plan is prepared (a walk over the kept plans' contexts, far cheaper than the planning).
bool plans_over_memory() {
    return kept_plan_bytes() > (int64)max_cached_plan_memory * 1024;
}

// Plans running now, nested calls (from triggers, or functions in a statement) included. A plan
// dropped from the cache is freed only when none runs: an outer statement may still use it.
int executing = 0;
std::vector<SPIPlanPtr> retired;

void retire(SPIPlanPtr plan) {
    retired.push_back(plan);
}

void free_retired() {
    if (executing > 0)
        return;
    for (SPIPlanPtr plan : retired)
        guarded([plan] { SPI_freeplan(plan); });
    retired.clear();
}

// Drops the cache's entry for `plan` (not the plan itself: see retire()).
void forget(SPIPlanPtr plan) {
    for (auto entry = plans.begin(); entry != plans.end(); ++entry) {
        if (entry->second == plan) {
            plans.erase(entry);
            retire(plan);
            return;
        }
    }
}

std::string cache_key(const std::string& sql, const std::vector<Oid>& types, PlanChoice choice) {
    std::string key = sql;
    key.push_back('\0');
    key.push_back(choice == PlanChoice::kGeneric ? 'g' : choice == PlanChoice::kCustom ? 'c' : 'a');
    for (Oid type : types)
        key += std::to_string(type) + ",";
    return key;
}

// A statement that a rule rewrote into nothing (DO INSTEAD NOTHING) keeps no dependency on its
// table, so PostgreSQL would never invalidate a kept plan of it when the rule is dropped: such
// a plan must not be kept.
bool depends_on_its_relations(SPIPlanPtr plan) {
    List* sources = SPI_plan_get_plan_sources(plan);
    for (int i = 0; i < list_length(sources); i++) {
        auto* source = (CachedPlanSource*)list_nth(sources, i);
        if (source->is_valid && source->query_list == NIL)
            return false;
    }
    return true;
}

// SPI adds 'SQL statement "<text>"' to the context of an error raised while it runs a statement.
// For data_bridge's own statements that line is an internal detail a plain statement by the
// caller would not show: it is taken out, every other line (the triggers', the caller's) stays.
void drop_own_statement_context(Error& error, SPIPlanPtr plan) {
    std::string& context = error.fields().context;
    if (context.empty())
        return;
    const char* text = guarded([plan] {
        List* sources = SPI_plan_get_plan_sources(plan);
        return list_length(sources) > 0 ? ((CachedPlanSource*)linitial(sources))->query_string
                                        : (const char*)nullptr;
    });
    if (text == nullptr)
        return;
    std::string own = std::string("SQL statement \"") + text + "\"";
    std::size_t at = context.find(own);
    if (at == std::string::npos)
        return;
    std::size_t end = at + own.size();
    bool line_start = at == 0 || context[at - 1] == '\n';
    bool line_end = end == context.size() || context[end] == '\n';
    if (!line_start || !line_end)
        return;
    if (end < context.size())
        end++;  // the line's newline
    else if (at > 0)
        at--;  // the newline before the last line
    context.erase(at, end - at);
}

}  // namespace

SPIPlanPtr cached_plan(const std::string& sql, const std::vector<Oid>& parameter_types,
                       PlanChoice choice) {
    // The row budget and the Citus counters are functions of the extension's internal schema,
    // checked on every use: a kept plan resolves their names again when it is invalidated.
    if (sql.find("data_bridge_internal.") != std::string::npos)
        require_internal_schema();
    std::string key = cache_key(sql, parameter_types, choice);
    auto found = plans.find(key);
    if (found != plans.end()) {
        plan_hits++;
        return found->second;
    }
    // Far more than an application uses (data_bridge.max_cached_plans, and
    // data_bridge.max_cached_plan_memory: a plan for a table of a thousand columns takes half a
    // megabyte); past it, every plan is retired and prepared again when next used.
    if (plans.size() >= (std::size_t)max_cached_plans || plans_over_memory()) {
        for (auto& entry : plans)
            retire(entry.second);
        plans.clear();
    }
    free_retired();
    const char* text = sql.c_str();
    int count = (int)parameter_types.size();
    Oid* types = const_cast<Oid*>(parameter_types.data());
    int options = choice == PlanChoice::kGeneric  ? CURSOR_OPT_GENERIC_PLAN
                  : choice == PlanChoice::kCustom ? CURSOR_OPT_CUSTOM_PLAN
                                                  : 0;
    struct Prepared {
        SPIPlanPtr plan;
        bool kept;
    };
    Prepared prepared = guarded([text, count, types, options] {
        SPIPlanPtr plan = SPI_prepare_cursor(text, count, types, options);
        if (plan == nullptr) {
            elog(ERROR, "data_bridge: SPI_prepare failed: %s", SPI_result_code_string(SPI_result));
        }
        if (!depends_on_its_relations(plan))
            return Prepared{plan, false};
        if (SPI_keepplan(plan) != 0)
            elog(ERROR, "data_bridge: SPI_keepplan failed");
        return Prepared{plan, true};
    });
    // Used once, in the SPI connection's memory, and gone with it.
    if (!prepared.kept)
        return prepared.plan;
    SPIPlanPtr plan = prepared.plan;
    plans.emplace(std::move(key), plan);
    plans_prepared++;
    return plan;
}

namespace {

[[noreturn]] void load_too_large(const ReadBudget* budget) {
    ereport(ERROR,
            (errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
             errmsg("the rows of the load take more than data_bridge.max_load_size (%lld kB)",
                    (long long)(budget->limit_bytes / 1024)),
             errhint("Load fewer rows at a time (a limit, pages with after), or raise "
                     "data_bridge.max_load_size.")));
}

}  // namespace

void ReadBudget::charge(int64 bytes) {
    used_bytes += bytes;
    if (limited() && used_bytes > limit_bytes)
        load_too_large(this);
}

namespace {

// What a row costs the budget (see ReadBudget).
int64 row_bytes(TupleDesc descriptor, const Datum* values, const bool* nulls) {
    auto bytes = (int64)(sizeof(HeapTupleData) + SizeofHeapTupleHeader +
                         heap_compute_data_size(descriptor, const_cast<Datum*>(values),
                                                const_cast<bool*>(nulls)) +
                         descriptor->natts * ReadBudget::kRenderedColumnBytes);
    for (int i = 0; i < descriptor->natts; i++) {
        if (TupleDescAttr(descriptor, i)->attlen != -1 || nulls[i])
            continue;
        auto* value = (struct varlena*)DatumGetPointer(values[i]);
        if (VARATT_IS_EXTERNAL(value) || VARATT_IS_COMPRESSED(value))
            bytes += (int64)toast_raw_datum_size(values[i]);
    }
    return bytes;
}

// SPI's own receiver (it fills SPI_tuptable), with each row's size charged to a budget first.
// It presents itself as DestSPI, as SPI expects of the receiver that fills its tuple table.
struct CountingReceiver {
    DestReceiver receiver;  // first: SPI calls through it
    DestReceiver* spi;
    ReadBudget* budget;
};

bool counting_receive(TupleTableSlot* slot, DestReceiver* self) {
    auto* counting = reinterpret_cast<CountingReceiver*>(self);
    slot_getallattrs(slot);
    counting->budget->charge(
        row_bytes(slot->tts_tupleDescriptor, slot->tts_values, slot->tts_isnull));
    return counting->spi->receiveSlot(slot, counting->spi);
}

void counting_startup(DestReceiver* self, int operation, TupleDesc descriptor) {
    auto* counting = reinterpret_cast<CountingReceiver*>(self);
    counting->spi->rStartup(counting->spi, operation, descriptor);
}

void counting_shutdown(DestReceiver* self) {
    auto* counting = reinterpret_cast<CountingReceiver*>(self);
    counting->spi->rShutdown(counting->spi);
}

void counting_destroy(DestReceiver*) {}

// SPI_execute_plan with the counting receiver: the parameters as SPI itself passes them.
int execute_counted(SPIPlanPtr plan, Datum* values, const char* nulls, bool read_only,
                    long row_limit, ReadBudget* budget) {
    int count = SPI_getargcount(plan);
    ParamListInfo parameters = count > 0 ? makeParamList(count) : nullptr;
    for (int i = 0; i < count; i++) {
        ParamExternData* parameter = &parameters->params[i];
        parameter->value = values[i];
        parameter->isnull = nulls != nullptr && nulls[i] == 'n';
        parameter->pflags = PARAM_FLAG_CONST;
        parameter->ptype = SPI_getargtypeid(plan, i);
    }
    CountingReceiver receiver;
    receiver.receiver.receiveSlot = counting_receive;
    receiver.receiver.rStartup = counting_startup;
    receiver.receiver.rShutdown = counting_shutdown;
    receiver.receiver.rDestroy = counting_destroy;
    receiver.receiver.mydest = DestSPI;
    receiver.spi = CreateDestReceiver(DestSPI);
    receiver.budget = budget;
    SPIExecuteOptions options;
    memset(&options, 0, sizeof options);
    // No parameters: no list (Citus reads through the NULL that copying an empty one gives).
    options.params = count > 0 ? parameters : nullptr;
    options.read_only = read_only;
    options.tcount = row_limit;
    options.dest = &receiver.receiver;
    return SPI_execute_plan_extended(plan, &options);
}

}  // namespace

void charge_rows(ReadBudget* budget, const SPITupleTable* table, uint64 count) {
    if (budget == nullptr || !budget->limited())
        return;
    guarded([budget, table, count] {
        TupleDesc descriptor = table->tupdesc;
        auto* values = static_cast<Datum*>(palloc(sizeof(Datum) * (descriptor->natts + 1)));
        auto* nulls = static_cast<bool*>(palloc(sizeof(bool) * (descriptor->natts + 1)));
        for (uint64 i = 0; i < count; i++) {
            heap_deform_tuple(table->vals[i], descriptor, values, nulls);
            budget->charge(row_bytes(descriptor, values, nulls));
        }
        pfree(values);
        pfree(nulls);
    });
}

uint64 execute_plan(SPIPlanPtr plan, const std::vector<Datum>& values,
                    const std::vector<char>& nulls, bool read_only, long row_limit,
                    ReadBudget* budget) {
    Datum* value_data = const_cast<Datum*>(values.data());
    const char* null_data = nulls.data();
    executing++;
    const char* outer_statement = begin_own_statement(plan);
    uint64 processed = 0;
    try {
        processed = guarded([plan, value_data, null_data, read_only, row_limit, budget] {
            int rc =
                budget != nullptr && budget->limited()
                    ? execute_counted(plan, value_data, null_data, read_only, row_limit, budget)
                    : SPI_execute_plan(plan, value_data, null_data, read_only, row_limit);
            if (rc < 0) {
                elog(ERROR, "data_bridge: SPI_execute_plan failed: %s", SPI_result_code_string(rc));
            }
            return SPI_processed;
        });
    } catch (Error& error) {
        executing--;
        end_own_statement(outer_statement);
        drop_own_statement_context(error, plan);
        throw;
    } catch (...) {
        executing--;
        end_own_statement(outer_statement);
        throw;
    }
    executing--;
    end_own_statement(outer_statement);
    // Re-planned under a rule that now rewrites it into nothing: see depends_on_its_relations.
    if (!guarded([plan] { return depends_on_its_relations(plan); }))
        forget(plan);
    return processed;
}

namespace {

// Whether the kept plan's generic plan is built and valid: executing it plans nothing.
bool generic_plan_ready(SPIPlanPtr plan) {
    if (list_length(plan->plancache_list) != 1)
        return false;
    auto* source = static_cast<CachedPlanSource*>(linitial(plan->plancache_list));
    return source->is_valid && source->gplan != nullptr && source->gplan->is_valid;
}

// Whether the expression holds the parameter *param ($n).
bool holds_parameter(Node* node, void* param) {
    if (node == nullptr)
        return false;
    check_stack_depth();
    if (IsA(node, Param)) {
        auto* found = (Param*)node;
        return found->paramkind == PARAM_EXTERN && found->paramid == *(int*)param;
    }
    // PostgreSQL 15 declares the walker unprototyped; void (*)() is the cast GCC leaves alone.
    auto walker = reinterpret_cast<bool (*)()>(reinterpret_cast<void (*)()>(holds_parameter));
    return expression_tree_walker(node, walker, param);
}

// Whether an index scan's conditions take the array $param whole on the index's first column:
// `column = ANY ($param)`, the column possibly relabelled.
bool keys_lead_index_conditions(List* conditions, int param) {
    bool found = false;
    ListCell* cell;
    foreach (cell, conditions) {
        auto* condition = (Node*)lfirst(cell);
        if (!holds_parameter(condition, &param))
            continue;
        if (!IsA(condition, ScalarArrayOpExpr))
            return false;
        auto* column = (Node*)linitial(((ScalarArrayOpExpr*)condition)->args);
        while (IsA(column, RelabelType))
            column = (Node*)((RelabelType*)column)->arg;
        if (!IsA(column, Var) || ((Var*)column)->varattno != 1)
            return false;
        found = true;
    }
    return found;
}

// Whether the plan reads the key array $param only as the condition of an index scan that takes
// it whole: the scan the rows come from (the plan's outer side, under the LATERAL joins) is an
// index or index-only scan with `= ANY ($param)` on its index's first column, and no filter or
// join compares rows with the keys. Any other plan (a filter, a bitmap's recheck, the array on
// a later column) compares each row it reads with every key in turn.
bool reads_keys_by_index(CachedPlan* built, int param) {
    if (list_length(built->stmt_list) != 1)
        return false;
    Plan* node = linitial_node(PlannedStmt, built->stmt_list)->planTree;
    while (node != nullptr) {
        if (holds_parameter((Node*)node->qual, &param))
            return false;
        if (IsA(node, NestLoop) || IsA(node, HashJoin) || IsA(node, MergeJoin)) {
            if (holds_parameter((Node*)((Join*)node)->joinqual, &param))
                return false;
        }
        if (IsA(node, SubqueryScan)) {
            node = ((SubqueryScan*)node)->subplan;
            continue;
        }
        if (node->lefttree == nullptr)
            break;
        node = node->lefttree;
    }
    if (node != nullptr && IsA(node, IndexScan))
        return keys_lead_index_conditions(((IndexScan*)node)->indexqual, param);
    if (node != nullptr && IsA(node, IndexOnlyScan))
        return keys_lead_index_conditions(((IndexOnlyScan*)node)->indexqual, param);
    return false;
}

// Revalidates (and if need be builds) the kept plan's generic plan with the scans `scans` off,
// in a GUC nest level of its own (as PostgreSQL's RI_Initial_Check sets work_mem), popped before
// anything runs: nothing but the planning sees the settings. With `key_param` (> 0): whether
// the plan reads that key array by index (reads_keys_by_index); else true.
bool plan_with_scans_off(SPIPlanPtr plan, std::initializer_list<const char*> scans,
                         int key_param = 0) {
    int nest_level = guarded([scans] {
        int level = NewGUCNestLevel();
        for (const char* scan : scans) {
            set_config_option(scan, "off", PGC_USERSET, PGC_S_SESSION, GUC_ACTION_SAVE, true, 0,
                              false);
        }
        return level;
    });
    // Planning may run the caller's code (a function folded as a constant): the plan is in use.
    executing++;
    bool by_index = true;
    try {
        by_index = guarded([plan, key_param] {
            CachedPlan* built = SPI_plan_get_cached_plan(plan);
            if (built == nullptr)
                return key_param <= 0;
            bool reads = key_param <= 0 || reads_keys_by_index(built, key_param);
            ReleaseCachedPlan(built, plan->saved ? CurrentResourceOwner : nullptr);
            return reads;
        });
    } catch (...) {
        executing--;
        guarded([nest_level] { AtEOXact_GUC(false, nest_level); });
        throw;
    }
    executing--;
    guarded([nest_level] { AtEOXact_GUC(true, nest_level); });
    return by_index;
}

}  // namespace

uint64 execute_key_probes(SPIPlanPtr plan, const std::vector<Datum>& values,
                          const std::vector<char>& nulls, long row_limit, ReadBudget* budget,
                          Oid probed_table, const std::string& probed_column) {
    // Invalidations already sent (an ANALYZE's) count before the plan is taken as built.
    bool ready = guarded([plan] {
        AcceptInvalidationMessages();
        return generic_plan_ready(plan);
    });
    // Decided when the plan is built, by the statistics and policies of that moment.
    // Left to the caller's settings when they turned either scan off.
    if (!ready && enable_bitmapscan && enable_indexscan &&
        few_rows_per_key(probed_table, probed_column))
        plan_with_scans_off(plan, {"enable_bitmapscan"});
    return execute_plan(plan, values, nulls, true, row_limit, budget);
}

bool execute_key_set(SPIPlanPtr plan, const std::vector<Datum>& values,
                     const std::vector<char>& nulls, int key_param, long row_limit,
                     ReadBudget* budget, uint64* processed) {
    if (!plan_with_scans_off(plan, {"enable_seqscan", "enable_bitmapscan"}, key_param))
        return false;
    *processed = execute_plan(plan, values, nulls, true, row_limit, budget);
    return true;
}

bool key_set_possible(Oid table) {
    return enable_indexscan && !row_security_enabled(table);
}

OpenCursor open_cursor(SPIPlanPtr plan, const std::vector<Datum>& values,
                       const std::vector<char>& nulls) {
    Datum* value_data = const_cast<Datum*>(values.data());
    const char* null_data = nulls.data();
    // The portal holds its own reference to the plan it runs: retiring the cached plan later
    // leaves it running.
    struct Opened {
        Portal portal;
        int natts;
        Oid* types;
    };
    // Opening plans the statement, which may run user code that calls data_bridge again: no
    // cached plan (this one included) is freed meanwhile.
    executing++;
    const char* outer_statement = begin_own_statement(plan);
    Opened opened{};
    try {
        opened = guarded([plan, value_data, null_data] {
            // A name no one can guess, on a portal pg_cursors does not list: the client cannot
            // FETCH, MOVE, CLOSE or replace it between the calls that read it.
            unsigned char bytes[16];
            if (!pg_strong_random(bytes, sizeof(bytes)))
                elog(ERROR, "data_bridge: could not generate a cursor name");
            char name[64];
            int length = snprintf(name, sizeof(name), "data_bridge stream ");
            for (unsigned char byte : bytes)
                length += snprintf(name + length, sizeof(name) - length, "%02x", byte);
            Portal portal = SPI_cursor_open(name, plan, value_data, null_data, true);
            if (portal == nullptr) {
                elog(ERROR, "data_bridge: SPI_cursor_open failed: %s",
                     SPI_result_code_string(SPI_result));
            }
            portal->visible = false;
            TupleDesc descriptor = portal->tupDesc;
            int natts = descriptor == nullptr ? 0 : descriptor->natts;
            Oid* types = (Oid*)palloc(sizeof(Oid) * (natts + 1));
            for (int i = 0; i < natts; i++)
                types[i] = TupleDescAttr(descriptor, i)->atttypid;
            return Opened{portal, natts, types};
        });
    } catch (...) {
        executing--;
        end_own_statement(outer_statement);
        throw;
    }
    executing--;
    end_own_statement(outer_statement);
    OpenCursor cursor;
    cursor.name = opened.portal->name;
    cursor.portal = opened.portal;
    cursor.created = opened.portal->creation_time;
    cursor.column_types.assign(opened.types, opened.types + opened.natts);
    return cursor;
}

namespace {

[[noreturn]] void cursor_closed() {
    throw Error("24000", "the cursor of this stream was closed",
                "A rollback to a savepoint set after the stream began, or a CLOSE of its "
                "cursor, ended the cursor it reads the top rows through.",
                "Start the stream again.");
}

}  // namespace

uint64 fetch_cursor(const OpenCursor& cursor, long count, SPITupleTable** table) {
    const char* name = cursor.name.c_str();
    const void* expected = cursor.portal;
    int64 created = cursor.created;
    struct Fetched {
        bool found;
        SPITupleTable* table;
        uint64 count;
    };
    executing++;  // as for a statement run: nothing is freed while the cursor runs
    Fetched fetched{};
    try {
        fetched = guarded([name, expected, created, count] {
            Portal found = SPI_cursor_find(name);
            if (found == nullptr || found != expected || found->creation_time != created)
                return Fetched{false, nullptr, 0};
            SPI_cursor_fetch(found, true, count);
            return Fetched{true, SPI_tuptable, SPI_processed};
        });
    } catch (...) {
        executing--;
        throw;
    }
    executing--;
    if (!fetched.found)
        cursor_closed();
    // The rows must be the statement's own: the same columns of the same types.
    TupleDesc descriptor = fetched.table == nullptr ? nullptr : fetched.table->tupdesc;
    bool same =
        descriptor != nullptr && descriptor->natts == static_cast<int>(cursor.column_types.size());
    for (int i = 0; same && i < descriptor->natts; i++)
        same = TupleDescAttr(descriptor, i)->atttypid == cursor.column_types[i];
    if (!same)
        cursor_closed();
    *table = fetched.table;
    return fetched.count;
}

void close_cursor(const OpenCursor& cursor) {
    const char* name = cursor.name.c_str();
    const void* expected = cursor.portal;
    int64 created = cursor.created;
    guarded([name, expected, created] {
        Portal found = SPI_cursor_find(name);
        if (found != nullptr && found == expected && found->creation_time == created)
            SPI_cursor_close(found);
    });
}

PlanCacheStats plan_cache_stats() {
    return {(long)plans.size(), plans_prepared, plan_hits};
}

int64 kept_plan_bytes() {
    int64 total = 0;
    for (const auto& entry : plans) {
        SPIPlanPtr plan = entry.second;
        total += guarded([plan] {
            const auto* kept = reinterpret_cast<const _SPI_plan*>(plan);
            auto bytes = (int64)MemoryContextMemAllocated(kept->plancxt, true);
            ListCell* cell;
            foreach (cell, kept->plancache_list) {
                const auto* source = static_cast<const CachedPlanSource*>(lfirst(cell));
                bytes += (int64)MemoryContextMemAllocated(source->context, true);
                if (source->gplan != nullptr)
                    bytes += (int64)MemoryContextMemAllocated(source->gplan->context, true);
            }
            return bytes;
        });
    }
    return total;
}

std::string Parameters::add(Oid type, Datum value, bool is_null) {
    types.push_back(type);
    values.push_back(value);
    nulls.push_back(is_null ? 'n' : ' ');
    return fmt::format("${}", types.size());
}

uint64 execute_once(const std::string& sql, const Parameters& parameters, bool read_only) {
    const char* text = sql.c_str();
    int count = static_cast<int>(parameters.types.size());
    Oid* types = const_cast<Oid*>(parameters.types.data());
    Datum* values = const_cast<Datum*>(parameters.values.data());
    const char* nulls = parameters.nulls.data();
    return guarded([text, count, types, values, nulls, read_only] {
        int rc = SPI_execute_with_args(text, count, types, values, nulls, read_only, 0);
        if (rc < 0)
            elog(ERROR, "data_bridge: SPI_execute_with_args failed: %s",
                 SPI_result_code_string(rc));
        uint64 processed = SPI_processed;
        SPI_freetuptable(SPI_tuptable);  // see the header
        return processed;
    });
}

SingleValue query_single_value(const std::string& sql, const Parameters& parameters, bool read_only,
                               PlanChoice choice, bool look_for_more) {
    spi_connect();
    SPIPlanPtr plan = cached_plan(sql, parameters.types, choice);
    uint64 rows =
        execute_plan(plan, parameters.values, parameters.nulls, read_only, look_for_more ? 2 : 1);
    SingleValue result = guarded([rows] {
        SingleValue out{(Datum)0, true, rows > 1};
        if (rows > 0) {
            Form_pg_attribute attribute = TupleDescAttr(SPI_tuptable->tupdesc, 0);
            Datum value =
                SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &out.is_null);
            if (!out.is_null)
                out.value = SPI_datumTransfer(value, attribute->attbyval, attribute->attlen);
        }
        return out;
    });
    spi_finish();
    return result;
}

}  // namespace data_bridge::pg
