// The one border between C++ and PostgreSQL, crossed in both directions.
//
// Into PostgreSQL: every SQL-callable function runs its C++ body through entry(). A C++
// exception never unwinds into PostgreSQL's frames; it is caught, its text copied into a plain
// buffer, and only after the catch block has been left (the exception object and every C++ local
// destroyed) is it raised again as ereport(ERROR) with its SQLSTATE, detail and hint.
//
// Out of PostgreSQL: a PostgreSQL call that can raise an error (ereport longjmps, skipping C++
// destructors) runs through guarded(). It runs the call inside PG_TRY in a frame that owns no
// object with a destructor; an error is copied out of PostgreSQL's error state and thrown as
// data_bridge::Error, which unwinds the C++ frames normally up to entry().
#pragma once

#include <exception>
#include <type_traits>

#include "data_bridge/core/error.hpp"
#include "data_bridge/pg/postgres.hpp"

namespace data_bridge::pg {

// An error waiting to be raised. Its texts are heap copies (malloc, no destructor, any length)
// that raise_pending() frees once PostgreSQL has taken its own copies. An error PostgreSQL
// raised keeps every field it had (schema, table, column, type, constraint, context, and the
// file and line that raised it), so it reaches the client unchanged.
struct PendingError {
    bool is_set = false;
    char code[6] = {};
    char* message = nullptr;
    char* detail = nullptr;
    char* hint = nullptr;
    char* schema = nullptr;
    char* table = nullptr;
    char* column = nullptr;
    char* datatype = nullptr;
    char* constraint = nullptr;
    char* context = nullptr;
    ErrorOrigin origin;
};

void capture_error(PendingError& pending, const char* code, const char* message, const char* detail,
                   const char* hint) noexcept;
void capture_error(PendingError& pending, const Error& error) noexcept;
[[noreturn]] void raise_pending(PendingError& pending);

// Catch whatever the body throws; raise it as a PostgreSQL error once the C++ frames are gone.
template <typename Body>
Datum entry(FunctionCallInfo fcinfo, Body body) {
    PendingError pending;
    Datum result = (Datum)0;
    try {
        result = body(fcinfo);
    } catch (const Error& e) {
        capture_error(pending, e);
    } catch (const std::bad_alloc&) {
        capture_error(pending, sqlstate::kOutOfMemory, "out of memory", "", "");
    } catch (const std::exception& e) {
        capture_error(pending, sqlstate::kInternalError, "data_bridge internal error", e.what(),
                      "");
    } catch (...) {
        capture_error(pending, sqlstate::kInternalError, "data_bridge internal error",
                      "An unknown C++ exception was raised.", "");
    }
    if (pending.is_set)
        raise_pending(pending);
    return result;
}

// Copies the current PostgreSQL error and clears PostgreSQL's error state (inside PG_CATCH).
ErrorData* take_error(MemoryContext caller_context);
// Turns a copied PostgreSQL error into a data_bridge::Error and throws it.
[[noreturn]] void throw_error(ErrorData* error);

// Runs `call` (a lambda around PostgreSQL calls); a PostgreSQL error it raises comes back as a
// thrown data_bridge::Error with every field of the original (SQLSTATE, message, detail, hint,
// schema, table, column, type, constraint, context, origin). The result type must be trivially
// copyable (a Datum, pointer, int).
//
// An ereport longjmps back here, skipping every frame in between: the lambda may therefore
// capture only references and plain values (checked at compile time: its closure type must be
// trivially destructible) and must build no object with a destructor; call C++ helpers before
// or after it, not inside. Should C++ code inside throw after all (std::bad_alloc), the
// exception is caught inside PG_TRY, PostgreSQL's exception stack and memory context are put
// back as they were, and the exception is thrown again from here. (Requiring noexcept lambdas
// instead would turn such a throw into std::terminate, a crash that restarts the server.)
template <typename Call>
auto guarded(Call call) -> decltype(call()) {
    using Result = decltype(call());
    static_assert(std::is_void_v<Result> || std::is_trivially_copyable_v<Result>,
                  "guarded() returns only plain values");
    static_assert(std::is_trivially_destructible_v<Call>,
                  "guarded() lambdas capture only references and plain values");
    MemoryContext caller_context = CurrentMemoryContext;
    ErrorData* volatile error = nullptr;
    std::exception_ptr cpp_error;
    std::exception_ptr* cpp_error_ref = &cpp_error;
    std::conditional_t<std::is_void_v<Result>, int, Result> result{};
    auto* result_ref = &result;
    PG_TRY();
    {
        try {
            if constexpr (std::is_void_v<Result>) {
                call();
            } else {
                *result_ref = call();
            }
        } catch (...) {
            *cpp_error_ref = std::current_exception();
        }
    }
    PG_CATCH();
    { error = take_error(caller_context); }
    PG_END_TRY();
    if (error != nullptr)
        throw_error(error);
    if (cpp_error) {
        MemoryContextSwitchTo(caller_context);
        std::rethrow_exception(cpp_error);
    }
    if constexpr (!std::is_void_v<Result>)
        return result;
}

// CHECK_FOR_INTERRUPTS() for loops in C++ code: a query cancel or termination comes back as a
// thrown Error instead of a longjmp over C++ frames.
inline void check_for_interrupts() {
    if (unlikely(InterruptPending))
        guarded([] { CHECK_FOR_INTERRUPTS(); });
}

}  // namespace data_bridge::pg

// Defines the C symbol PostgreSQL calls for SQL function `name`, running `body` through entry().
#define DATA_BRIDGE_FUNCTION(name, body)             \
    extern "C" {                                     \
    PG_FUNCTION_INFO_V1(name);                       \
    PGDLLEXPORT Datum name(PG_FUNCTION_ARGS) {       \
        return data_bridge::pg::entry(fcinfo, body); \
    }                                                \
    }
