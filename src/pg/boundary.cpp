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
    pending.schema[0] = pending.table[0] = pending.column[0] = '\0';
    pending.datatype[0] = pending.constraint[0] = pending.context[0] = '\0';
    pending.origin = ErrorOrigin{};
}

void capture_error(PendingError& pending, const Error& error) noexcept {
    capture_error(pending, error.code().c_str(), error.what(), error.detail().c_str(),
                  error.hint().c_str());
    const ErrorFields& fields = error.fields();
    copy_text(pending.schema, sizeof pending.schema, fields.schema.c_str());
    copy_text(pending.table, sizeof pending.table, fields.table.c_str());
    copy_text(pending.column, sizeof pending.column, fields.column.c_str());
    copy_text(pending.datatype, sizeof pending.datatype, fields.datatype.c_str());
    copy_text(pending.constraint, sizeof pending.constraint, fields.constraint.c_str());
    copy_text(pending.context, sizeof pending.context, fields.context.c_str());
    pending.origin = error.origin();
}

namespace {

void add_field(int field, const char* value) {
    if (value[0] != '\0')
        err_generic_string(field, value);
}

}  // namespace

void raise_pending(const PendingError& pending) {
    const char* c = pending.code;
    bool well_formed = std::char_traits<char>::length(c) == 5;
    int code = well_formed ? MAKE_SQLSTATE(c[0], c[1], c[2], c[3], c[4]) : ERRCODE_INTERNAL_ERROR;
    // ereport() spelled out, so that an error PostgreSQL raised keeps its own file and line.
    const ErrorOrigin& origin = pending.origin;
    // A copied context already holds every line the callbacks active then added; running them
    // again would repeat the caller's lines. (PG_TRY blocks up the stack restore the pointer.)
    if (pending.context[0] != '\0')
        error_context_stack = nullptr;
    if (errstart(ERROR, TEXTDOMAIN)) {
        errcode(code);
        errmsg_internal("%s", pending.message);
        if (pending.detail[0] != '\0')
            errdetail_internal("%s", pending.detail);
        if (pending.hint[0] != '\0')
            errhint("%s", pending.hint);
        add_field(PG_DIAG_SCHEMA_NAME, pending.schema);
        add_field(PG_DIAG_TABLE_NAME, pending.table);
        add_field(PG_DIAG_COLUMN_NAME, pending.column);
        add_field(PG_DIAG_DATATYPE_NAME, pending.datatype);
        add_field(PG_DIAG_CONSTRAINT_NAME, pending.constraint);
        if (pending.context[0] != '\0')
            errcontext_msg("%s", pending.context);
        if (origin.file != nullptr)
            errfinish(origin.file, origin.line, origin.function);
        else
            errfinish(__FILE__, __LINE__, PG_FUNCNAME_MACRO);
    }
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
    auto text = [](const char* value) { return std::string(value != nullptr ? value : ""); };
    ErrorFields& fields = converted.fields();
    fields.schema = text(error->schema_name);
    fields.table = text(error->table_name);
    fields.column = text(error->column_name);
    fields.datatype = text(error->datatype_name);
    fields.constraint = text(error->constraint_name);
    fields.context = text(error->context);
    converted.set_origin({error->filename, error->lineno, error->funcname});
    FreeErrorData(error);
    throw converted;
}

}  // namespace data_bridge::pg
