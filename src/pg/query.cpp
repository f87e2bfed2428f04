#include "data_bridge/pg/query.hpp"

#include "data_bridge/pg/boundary.hpp"
#include "data_bridge/pg/plan_cache.hpp"
#include "data_bridge/pg/spi.hpp"

namespace data_bridge::pg {

SingleValue query_single_value(const std::string& sql, const Parameters& parameters,
                               bool read_only) {
    spi_connect();
    SPIPlanPtr plan = cached_plan(sql, parameters.types);
    uint64 rows = execute_plan(plan, parameters.values, parameters.nulls, read_only, 1);
    SingleValue result = guarded([rows] {
        SingleValue out{(Datum)0, true};
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
