// Building eager-load trees in unit tests.
#pragma once

#include <string>

#include "data_bridge/core/eager_sql.hpp"

namespace data_bridge::test {

inline EagerRelation relation(const std::string& name, EagerShape shape) {
    EagerRelation out;
    out.name = name;
    out.key_literal = "'" + name + "'";
    out.shape = shape;
    return out;
}

}  // namespace data_bridge::test
