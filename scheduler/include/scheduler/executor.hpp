// Runs a plan's steps as soon as the steps they wait for are done, at most `parallel` at once,
// on threads of its own. Nothing waits that the graph lets run: there are no level barriers.
#pragma once

#include <cstddef>
#include <functional>
#include <vector>

#include "common/result.hpp"

namespace berth::scheduler {

struct ExecutorItem {
    std::vector<std::size_t> after;  // indexes that must succeed first
};

// Runs run(i) for every item. When a step fails, the steps that wait on it (directly or not) are
// skipped; independent ones still run. Returns every error, in item order, each with its
// context; an empty vector when all succeeded. `skipped(i)` is told of each skipped item.
// parallel <= 0 means 1. A cycle in `after` is a programming error: those items are skipped.
std::vector<Error> run_plan(const std::vector<ExecutorItem>& items, int parallel,
                            const std::function<Result<void>(std::size_t)>& run,
                            const std::function<void(std::size_t)>& skipped);

}  // namespace berth::scheduler
