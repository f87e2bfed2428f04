// Errors raised by data_bridge's C++ code.
//
// The core knows nothing of PostgreSQL, so an error carries its SQLSTATE as the five-character
// code; the boundary (pg/boundary.hpp) turns it into an ereport(ERROR) once the C++ frames
// holding it have been unwound.
#pragma once

#include <stdexcept>
#include <string>

namespace data_bridge {

// SQLSTATE codes data_bridge raises, named as in PostgreSQL's errcodes.txt.
namespace sqlstate {
inline constexpr const char* kInvalidParameterValue = "22023";
inline constexpr const char* kInvalidTextRepresentation = "22P02";
inline constexpr const char* kNullValueNotAllowed = "22004";
inline constexpr const char* kNotNullViolation = "23502";
inline constexpr const char* kForeignKeyViolation = "23503";
inline constexpr const char* kCardinalityViolation = "21000";
inline constexpr const char* kUndefinedTable = "42P01";
inline constexpr const char* kUndefinedColumn = "42703";
inline constexpr const char* kUndefinedObject = "42704";
inline constexpr const char* kDuplicateObject = "42710";
inline constexpr const char* kWrongObjectType = "42809";
inline constexpr const char* kInvalidForeignKey = "42830";
inline constexpr const char* kDatatypeMismatch = "42804";
inline constexpr const char* kAmbiguousColumn = "42702";
inline constexpr const char* kProgramLimitExceeded = "54000";
inline constexpr const char* kStatementTooComplex = "54001";
inline constexpr const char* kInsufficientPrivilege = "42501";
inline constexpr const char* kInvalidColumnReference = "42P10";
inline constexpr const char* kUndefinedFunction = "42883";
inline constexpr const char* kFeatureNotSupported = "0A000";
inline constexpr const char* kOutOfMemory = "53200";
inline constexpr const char* kInternalError = "XX000";
inline constexpr const char* kSerializationFailure = "40001";
inline constexpr const char* kObjectNotInPrerequisiteState = "55000";
}  // namespace sqlstate

// The objects an error is about, as PostgreSQL reports them (PG_DIAG_SCHEMA_NAME and the rest):
// drivers and ORMs read these fields, not the message.
struct ErrorFields {
    std::string schema;
    std::string table;
    std::string column;
    std::string datatype;
    std::string constraint;
    std::string context;
};

// Where PostgreSQL raised an error that passes through data_bridge (static strings of the
// server's code, never freed); empty for data_bridge's own errors.
struct ErrorOrigin {
    const char* file = nullptr;
    int line = 0;
    const char* function = nullptr;
};

class Error : public std::runtime_error {
  public:
    Error(std::string code, const std::string& message, std::string detail = {},
          std::string hint = {})
        : std::runtime_error(message),
          code_(std::move(code)),
          detail_(std::move(detail)),
          hint_(std::move(hint)) {}

    const std::string& code() const { return code_; }
    const std::string& detail() const { return detail_; }
    const std::string& hint() const { return hint_; }
    const ErrorFields& fields() const { return fields_; }
    ErrorFields& fields() { return fields_; }
    const ErrorOrigin& origin() const { return origin_; }
    void set_origin(const ErrorOrigin& origin) { origin_ = origin; }

    // For refusals about a table's constraint, as PostgreSQL's errtableconstraint() fills them.
    Error& about_constraint(std::string schema, std::string table, std::string constraint) {
        fields_.schema = std::move(schema);
        fields_.table = std::move(table);
        fields_.constraint = std::move(constraint);
        return *this;
    }

  private:
    std::string code_;
    std::string detail_;
    std::string hint_;
    ErrorFields fields_;
    ErrorOrigin origin_;
};

}  // namespace data_bridge
