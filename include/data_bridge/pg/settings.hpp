// data_bridge's configuration parameters (GUCs), defined in _PG_init.
#pragma once

namespace data_bridge::pg {

// data_bridge.max_cascade_rows: the most rows one cascade delete (or its plan) may reach; past
// it the call stops with 54000 instead of holding an unbounded set in memory. 0 means no limit.
extern int max_cascade_rows;

// data_bridge.max_rows: the most rows one eager load (fetch_with_relations and friends) may
// render, at every level together; past it the call fails with 54000. 0 means no limit.
extern int max_rows;
// data_bridge.max_load_size, in kB: the most memory the rows one eager load reads may take, all
// levels together (one chunk of a stream at a time), counted as rows arrive (see ReadBudget);
// past it the call fails with 54000. -1 means no limit (0: nothing may be read).
extern int max_load_size;

// data_bridge.max_cached_plans / data_bridge.max_cached_plan_memory (kB) /
// data_bridge.max_remembered_shapes: the bounds of this backend's caches (prepared statements,
// by count and by memory; call shapes of each kind); past one, that cache starts afresh.
extern int max_cached_plans;
extern int max_cached_plan_memory;
extern int max_remembered_shapes;

// data_bridge.page_cursor_secret: the key fetch_page_with_relations signs its cursors with
// (superuser only; empty: the signature only ties a cursor to its table and order).
extern char* page_cursor_secret;

// data_bridge.direct_fetch: fetch_referenced reads through the key's unique index where that is
// exactly what its statement would do (see row_fetch.hpp).
extern bool direct_fetch;

void define_settings();

}  // namespace data_bridge::pg
