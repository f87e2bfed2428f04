#include "data_bridge/pg/spi.hpp"

#include "data_bridge/pg/boundary.hpp"

namespace data_bridge::pg {

void spi_connect() {
    guarded([] {
        if (SPI_connect() != SPI_OK_CONNECT)
            elog(ERROR, "data_bridge: SPI_connect failed");
    });
}

void spi_finish() {
    guarded([] {
        if (SPI_finish() != SPI_OK_FINISH)
            elog(ERROR, "data_bridge: SPI_finish failed");
    });
}

uint64 spi_execute(const std::string& sql, bool read_only) {
    const char* text = sql.c_str();
    return guarded([text, read_only] {
        int rc = SPI_execute(text, read_only, 0);
        if (rc < 0)
            elog(ERROR, "data_bridge: SPI_execute failed: %s", SPI_result_code_string(rc));
        return SPI_processed;
    });
}

}  // namespace data_bridge::pg
