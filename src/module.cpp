// The shared library's entry: PG_MODULE_MAGIC and _PG_init.

#include "data_bridge/pg/boundary.hpp"
#include "data_bridge/pg/catalog.hpp"
#include "data_bridge/pg/fk_cache.hpp"
#include "data_bridge/pg/settings.hpp"

extern "C" {
PG_MODULE_MAGIC;

PGDLLEXPORT void _PG_init(void);

void _PG_init(void) {
    data_bridge::pg::define_settings();
    data_bridge::pg::register_fk_cache_callbacks();
    data_bridge::pg::register_catalog_callbacks();
}
}
