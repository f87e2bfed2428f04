// Running a piece of work in its own subtransaction (an internal savepoint), so that a failure
// rolls back that piece alone and the caller's transaction goes on.
#pragma once

#include <functional>
#include <optional>

#include "data_bridge/core/error.hpp"

namespace data_bridge::pg {

// Runs `work`; on success the subtransaction is released (its changes stay). On an error the
// subtransaction is rolled back and the error returned, except for errors no caller should
// swallow (query cancel, shutdown, out of memory, internal errors, an invalid transaction state
// such as a read-only transaction), which are raised again.
std::optional<Error> try_in_subtransaction(const std::function<void()>& work);

// The same, but the subtransaction is always rolled back: a trial run whose outcome is all that
// is kept (delete_plan runs the DELETE it predicts this way).
std::optional<Error> try_and_roll_back(const std::function<void()>& work);

}  // namespace data_bridge::pg
