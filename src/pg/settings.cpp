#include "data_bridge/pg/settings.hpp"

#include "data_bridge/pg/postgres.hpp"

extern "C" {
#include "utils/guc.h"
}

namespace data_bridge::pg {

int max_cascade_rows = 1000000;
int max_rows = 1000000;
int max_load_size = 128 * 1024;
int max_cached_plans = 1024;
int max_cached_plan_memory = 64 * 1024;
int max_remembered_shapes = 4096;
char* page_cursor_secret = nullptr;
bool direct_fetch = true;

void define_settings() {
    DefineCustomIntVariable("data_bridge.max_cascade_rows",
                            "Most rows one cascade delete or delete plan may reach (0: no limit).",
                            "Past it the call fails with program_limit_exceeded instead of holding "
                            "an unbounded set of rows in memory. It counts rows of tables the "
                            "caller cannot read, so only a superuser (or a role granted SET on "
                            "it) may change it: probing it would tell how many there are.",
                            &max_cascade_rows, 1000000, 0, INT_MAX, PGC_SUSET, 0, nullptr, nullptr,
                            nullptr);
    DefineCustomIntVariable(
        "data_bridge.max_rows",
        "Most rows one eager load may render, all levels together (0: no limit).",
        "Past it the call fails with program_limit_exceeded and a hint to paginate, "
        "instead of building an answer that exhausts memory.",
        &max_rows, 1000000, 0, INT_MAX, PGC_USERSET, 0, nullptr, nullptr, nullptr);
    DefineCustomIntVariable(
        "data_bridge.max_load_size",
        "Most memory the rows of one eager load may take, all levels together (-1: no limit).",
        "Each row's bytes and an estimate of its rendering, counted as each row arrives; past "
        "it the call fails with program_limit_exceeded and a hint to paginate. A stream counts "
        "one chunk at a time.",
        &max_load_size, 128 * 1024, -1, INT_MAX, PGC_USERSET, GUC_UNIT_KB, nullptr, nullptr,
        nullptr);
    DefineCustomIntVariable(
        "data_bridge.max_cached_plans", "Most prepared statements one backend keeps across calls.",
        "Past it the cache starts afresh; statements in use are freed only "
        "once no statement runs.",
        &max_cached_plans, 1024, 16, 1000000, PGC_USERSET, 0, nullptr, nullptr, nullptr);
    DefineCustomIntVariable(
        "data_bridge.max_cached_plan_memory",
        "Most memory the prepared statements one backend keeps across calls may take.",
        "Checked as statements are added (a plan for a table of many columns takes more); past "
        "it the cache starts afresh.",
        &max_cached_plan_memory, 64 * 1024, 1024, INT_MAX, PGC_USERSET, GUC_UNIT_KB, nullptr,
        nullptr, nullptr);
    DefineCustomIntVariable("data_bridge.max_remembered_shapes",
                            "Most call shapes of each kind one backend remembers across calls.",
                            "Past it that kind's shapes start afresh.", &max_remembered_shapes,
                            4096, 16, 1000000, PGC_USERSET, 0, nullptr, nullptr, nullptr);
    DefineCustomStringVariable(
        "data_bridge.page_cursor_secret",
        "Key of the HMAC that signs fetch_page_with_relations cursors.",
        "With a secret set, a cursor altered by a client is refused; without one the signature "
        "still ties a cursor to its table and order. Only a superuser sees or sets it.",
        &page_cursor_secret, "", PGC_SUSET, GUC_SUPERUSER_ONLY | GUC_NO_SHOW_ALL, nullptr, nullptr,
        nullptr);
    DefineCustomBoolVariable(
        "data_bridge.direct_fetch",
        "Reads fetch_referenced's and fetch_related's row through the key's unique index, "
        "without the SQL executor.",
        "Only where the statement would read the same row the same way (an ordinary table, every "
        "column readable, no row-level security, the key's own type); off: always the statement.",
        &direct_fetch, true, PGC_USERSET, 0, nullptr, nullptr, nullptr);
    MarkGUCPrefixReserved("data_bridge");
}

}  // namespace data_bridge::pg
