#include "data_bridge/pg/boundary.hpp"

#include <string>

namespace data_bridge::pg {

namespace {

// A heap copy of a non-empty text, or null (also when memory runs out: the text is then lost,
// the error is not).
char* copy_text(const char* text) noexcept {
    if (text == nullptr || text[0] == '\0')
        return nullptr;
    return strdup(text);
}

void free_texts(PendingError& pending) noexcept {
    for (char** text :
         {&pending.message, &pending.detail, &pending.hint, &pending.schema, &pending.table,
          &pending.column, &pending.datatype, &pending.constraint, &pending.context}) {
        free(*text);
        *text = nullptr;
    }
}

void add_field(int field, const char* value) {
    if (value != nullptr)
        err_generic_string(field, value);
}

}  // namespace

void capture_error(PendingError& pending, const char* code, const char* message, const char* detail,
                   const char* hint) noexcept {
    free_texts(pending);
    pending.is_set = true;
    strlcpy(pending.code, code != nullptr ? code : "", sizeof pending.code);
    pending.message = copy_text(message);
    pending.detail = copy_text(detail);
    pending.hint = copy_text(hint);
    pending.origin = ErrorOrigin{};
}

void capture_error(PendingError& pending, const Error& error) noexcept {
    capture_error(pending, error.code().c_str(), error.what(), error.detail().c_str(),
                  error.hint().c_str());
    const ErrorFields& fields = error.fields();
    pending.schema = copy_text(fields.schema.c_str());
    pending.table = copy_text(fields.table.c_str());
    pending.column = copy_text(fields.column.c_str());
    pending.datatype = copy_text(fields.datatype.c_str());
    pending.constraint = copy_text(fields.constraint.c_str());
    pending.context = copy_text(fields.context.c_str());
    pending.origin = error.origin();
}

void raise_pending(PendingError& pending) {
    const char* c = pending.code;
    bool well_formed = std::char_traits<char>::length(c) == 5;
    int code = well_formed ? MAKE_SQLSTATE(c[0], c[1], c[2], c[3], c[4]) : ERRCODE_INTERNAL_ERROR;
    // ereport() spelled out, so that an error PostgreSQL raised keeps its own file and line.
    const ErrorOrigin origin = pending.origin;
    // A copied context already holds every line the callbacks active then added; running them
    // again would repeat the caller's lines. (PG_TRY blocks up the stack restore the pointer.)
    if (pending.context != nullptr)
        error_context_stack = nullptr;
    if (errstart(ERROR, TEXTDOMAIN)) {
        errcode(code);
        // PostgreSQL copies each text into the error's own memory: the heap copies can go.
        errmsg_internal("%s", pending.message != nullptr ? pending.message : "unknown error");
        if (pending.detail != nullptr)
            errdetail_internal("%s", pending.detail);
        if (pending.hint != nullptr)
            errhint("%s", pending.hint);
        add_field(PG_DIAG_SCHEMA_NAME, pending.schema);
        add_field(PG_DIAG_TABLE_NAME, pending.table);
        add_field(PG_DIAG_COLUMN_NAME, pending.column);
        add_field(PG_DIAG_DATATYPE_NAME, pending.datatype);
        add_field(PG_DIAG_CONSTRAINT_NAME, pending.constraint);
        if (pending.context != nullptr)
            errcontext_msg("%s", pending.context);
        free_texts(pending);
        if (origin.file != nullptr)
            errfinish(origin.file, origin.line, origin.function);
        else
            errfinish(__FILE__, __LINE__, PG_FUNCNAME_MACRO);
    }
    free_texts(pending);
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
