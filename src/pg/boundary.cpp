#include "data_bridge/pg/boundary.hpp"

#include <string>

namespace data_bridge::pg {

namespace {

void copy_text(char* out, std::size_t size, const char* text) noexcept {
    strlcpy(out, text != nullptr ? text : "", size);
}

}  // namespace

void capture_error(PendingError& pending, const char* code, const char* message, const char* detail,
                   const char* hint) noexcept {
    pending.is_set = true;
    copy_text(pending.code, sizeof pending.code, code);
    copy_text(pending.message, sizeof pending.message, message);
    copy_text(pending.detail, sizeof pending.detail, detail);
    copy_text(pending.hint, sizeof pending.hint, hint);
}

void raise_pending(const PendingError& pending) {
    const char* c = pending.code;
    bool well_formed = std::char_traits<char>::length(c) == 5;
    int code = well_formed ? MAKE_SQLSTATE(c[0], c[1], c[2], c[3], c[4]) : ERRCODE_INTERNAL_ERROR;
    ereport(ERROR, (errcode(code), errmsg_internal("%s", pending.message),
                    pending.detail[0] != '\0' ? errdetail_internal("%s", pending.detail) : 0,
                    pending.hint[0] != '\0' ? errhint("%s", pending.hint) : 0));
    pg_unreachable();
}

ErrorData* take_error(MemoryContext caller_context) {
    MemoryContextSwitchTo(caller_context);
    ErrorData* error = CopyErrorData();
    FlushErrorState();
    return error;
}

void throw_error(ErrorData* error) {
    char code[6];
    strlcpy(code, unpack_sql_state(error->sqlerrcode), sizeof code);
    Error converted(code, error->message != nullptr ? error->message : "unknown error",
                    error->detail != nullptr ? error->detail : "",
                    error->hint != nullptr ? error->hint : "");
    FreeErrorData(error);
    throw converted;
}

}  // namespace data_bridge::pg
