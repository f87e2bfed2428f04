// Running SQL from C++ through SPI, with PostgreSQL errors turned into C++ exceptions.
//
// No RAII here on purpose: when an error unwinds, the transaction abort that follows releases the
// SPI connection, so nothing must call SPI_finish from a destructor on an error path.
#pragma once

#include <string>

#include "data_bridge/pg/postgres.hpp"

namespace data_bridge::pg {

void spi_connect();
void spi_finish();

// Runs one statement without parameters (DDL built from quoted identifiers); returns
// SPI_processed.
uint64 spi_execute(const std::string& sql, bool read_only);

}  // namespace data_bridge::pg
