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
inline constexpr const char* kRestrictViolation = "23001";
inline constexpr const char* kForeignKeyViolation = "23503";
inline constexpr const char* kUndefinedTable = "42P01";
inline constexpr const char* kUndefinedColumn = "42703";
inline constexpr const char* kUndefinedObject = "42704";
inline constexpr const char* kDuplicateObject = "42710";
inline constexpr const char* kWrongObjectType = "42809";
inline constexpr const char* kInvalidForeignKey = "42830";
inline constexpr const char* kDatatypeMismatch = "42804";
inline constexpr const char* kAmbiguousColumn = "42702";
inline constexpr const char* kProgramLimitExceeded = "54000";
inline constexpr const char* kOutOfMemory = "53200";
inline constexpr const char* kInternalError = "XX000";
}  // namespace sqlstate

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

  private:
    std::string code_;
    std::string detail_;
    std::string hint_;
};

}  // namespace data_bridge
