// _boundary_selftest(kind): an internal, test-only function (EXECUTE revoked from PUBLIC) that
// raises errors from deep inside C++ code and from PostgreSQL calls made by C++ code, so the
// regression tests can prove that each reaches the client as an ordinary ERROR with its SQLSTATE,
// that every C++ destructor on the way ran, and that the session goes on working.

#include <new>
#include <stdexcept>
#include <string>
#include <vector>

#include "data_bridge/core/error.hpp"
#include "data_bridge/pg/boundary.hpp"

namespace data_bridge {

namespace {

// Counts live instances: after any error, 'live_canaries' must report 0.
int live_canaries = 0;

struct Canary {
    Canary() { live_canaries++; }
    ~Canary() { live_canaries--; }
    Canary(const Canary&) = delete;
    Canary& operator=(const Canary&) = delete;
};

[[noreturn]] void throw_three_frames_down(int depth) {
    Canary canary;
    std::vector<std::string> owned{"a heap-allocated string that must be freed on unwind"};
    if (depth > 0)
        throw_three_frames_down(depth - 1);
    throw Error(sqlstate::kInvalidParameterValue, "selftest: error raised deep in C++ code",
                "Raised three frames below the entry point.", "Nothing to fix: this is a test.");
}

void run_failing_query() {
    Canary canary;
    std::string query = "SELECT 1 / 0";
    pg::guarded([] {
        if (SPI_connect() != SPI_OK_CONNECT)
            elog(ERROR, "SPI_connect failed");
    });
    pg::guarded([&query] { SPI_execute(query.c_str(), true, 0); });
    pg::guarded([] { SPI_finish(); });
}

void run_raising_call() {
    Canary canary;
    std::vector<int> owned(1000, 7);
    pg::guarded([] {
        ereport(ERROR, (errcode(ERRCODE_CHECK_VIOLATION), errmsg("selftest: error from PostgreSQL"),
                        errdetail("Raised by ereport inside guarded()."),
                        errhint("The hint must survive the trip.")));
    });
}

int run_good_query() {
    Canary canary;
    pg::guarded([] {
        if (SPI_connect() != SPI_OK_CONNECT)
            elog(ERROR, "SPI_connect failed");
    });
    int processed = pg::guarded([] {
        SPI_execute("SELECT pg_catalog.generate_series(1, 3)", true, 0);
        return (int)SPI_processed;
    });
    pg::guarded([] { SPI_finish(); });
    return processed;
}

// A C++ exception thrown inside guarded() (which no caller should do): it must come out as an
// error, with PostgreSQL's exception stack put back, so the next PostgreSQL error (raised right
// after, inside the same call) still finds a live frame to jump to.
int throw_inside_guarded() {
    Canary canary;
    try {
        pg::guarded([] {
            palloc(16);
            throw std::runtime_error("selftest: thrown inside guarded()");
        });
    } catch (const std::runtime_error&) {
        run_raising_call();  // an ereport after the C++ exception: caught by a live PG_TRY
    }
    return 0;
}

Datum boundary_selftest_body(FunctionCallInfo fcinfo) {
    std::string kind =
        pg::guarded([fcinfo] { return (const char*)text_to_cstring(PG_GETARG_TEXT_PP(0)); });
    if (kind == "cpp_error")
        throw_three_frames_down(3);
    if (kind == "std_exception") {
        std::vector<int> empty;
        return Int32GetDatum(empty.at(3));
    }
    if (kind == "bad_alloc")
        throw std::bad_alloc();
    if (kind == "unknown_exception")
        throw 42;
    if (kind == "spi_error")
        run_failing_query();
    if (kind == "pg_error")
        run_raising_call();
    if (kind == "throw_inside_guarded")
        return Int32GetDatum(throw_inside_guarded());
    if (kind == "spi_ok")
        return Int32GetDatum(run_good_query());
    if (kind == "live_canaries")
        return Int32GetDatum(live_canaries);
    throw Error(sqlstate::kInvalidParameterValue, "unknown selftest \"" + kind + "\"");
}

}  // namespace

}  // namespace data_bridge

DATA_BRIDGE_FUNCTION(data_bridge_boundary_selftest, data_bridge::boundary_selftest_body)
