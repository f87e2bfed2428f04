#include "data_bridge/pg/subtransaction.hpp"

#include "data_bridge/pg/boundary.hpp"

extern "C" {
#include "utils/resowner.h"
}

namespace data_bridge::pg {

namespace {

// Errors about the whole transaction or server, not one item: query cancel and shutdown (57),
// out of memory (53), internal errors (XX), and an invalid transaction state (25: a read-only
// transaction or a hot standby refuses every item alike).
bool must_propagate(const Error& error) {
    const std::string& code = error.code();
    return code.rfind("57", 0) == 0 || code.rfind("53", 0) == 0 || code.rfind("XX", 0) == 0 ||
           code.rfind("25", 0) == 0;
}

std::optional<Error> run_in_subtransaction(const std::function<void()>& work, bool keep_changes) {
    MemoryContext caller_context = CurrentMemoryContext;
    ResourceOwner caller_owner = CurrentResourceOwner;
    guarded([caller_context] {
        BeginInternalSubTransaction(nullptr);
        MemoryContextSwitchTo(caller_context);
    });

    auto finish = [caller_context, caller_owner](bool commit) {
        guarded([commit, caller_context, caller_owner] {
            if (commit) {
                ReleaseCurrentSubTransaction();
            } else {
                RollbackAndReleaseCurrentSubTransaction();
            }
            MemoryContextSwitchTo(caller_context);
            CurrentResourceOwner = caller_owner;
        });
    };

    try {
        work();
    } catch (const Error& error) {
        finish(false);
        if (must_propagate(error))
            throw;
        return error;
    } catch (...) {
        finish(false);
        throw;
    }
    finish(keep_changes);
    return std::nullopt;
}

}  // namespace

std::optional<Error> try_in_subtransaction(const std::function<void()>& work) {
    return run_in_subtransaction(work, true);
}

std::optional<Error> try_and_roll_back(const std::function<void()>& work) {
    return run_in_subtransaction(work, false);
}

}  // namespace data_bridge::pg
