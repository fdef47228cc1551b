#include "project_state.hpp"

#include <thread>

#include "container_ops.hpp"
#include "project_request.hpp"
#include "scheduler/executor.hpp"
#include "scheduler/project_graph.hpp"

namespace berth::daemon {

scheduler::RunState run_state_of(ContainerRunState s) {
    switch (s) {
        case ContainerRunState::Created:
            return scheduler::RunState::Created;
        case ContainerRunState::Running:
            return scheduler::RunState::Running;
        case ContainerRunState::Paused:
            return scheduler::RunState::Paused;
        case ContainerRunState::Exited:
            return scheduler::RunState::Exited;
        case ContainerRunState::Dead:
            return scheduler::RunState::Dead;
    }
    return scheduler::RunState::Dead;
}

Result<ProjectContainers> project_containers(DaemonContext& ctx, const std::string& project) {
    auto recs = ctx.db->containers(project);
    if (!recs) return std::move(recs).error();
    ProjectContainers out;
    out.records = std::move(recs).value();
    for (const auto& r : out.records) {
        scheduler::ActualContainer a;
        a.id = r.id;
        a.name = r.name;
        a.service = r.service;
        a.number = r.number;
        a.oneoff = r.oneoff;
        a.config_hash = r.config_hash;
        auto st = ctx.runtime->status(r.id);
        a.state = st ? run_state_of(st->state) : scheduler::RunState::Dead;
        out.actual.push_back(std::move(a));
    }
    for (const auto& r : out.records) out.by_id[r.id] = &r;
    return out;
}

std::optional<compose::Project> stored_project(DaemonContext& ctx, const std::string& project) {
    auto rec = ctx.db->project(project);
    if (!rec || !*rec) return std::nullopt;
    auto p =
        project_from_json((*rec)->model_json, project, (*rec)->config_files, (*rec)->working_dir);
    if (!p) return std::nullopt;
    return std::move(p).value();
}

scheduler::Graph graph_for(DaemonContext& ctx, const std::string& project,
                           const compose::Project* given) {
    if (given) {
        auto g = scheduler::project_graph(*given);
        if (g) return std::move(g).value();
    }
    if (auto stored = stored_project(ctx, project)) {
        auto g = scheduler::project_graph(*stored);
        if (g) return std::move(g).value();
    }
    return scheduler::Graph::build({}).value();
}

Result<void> run_steps(DaemonContext& ctx, const std::string& project,
                       const std::vector<scheduler::Step>& steps, int parallel,
                       const std::function<Result<void>(const scheduler::Step&)>& run) {
    std::vector<scheduler::ExecutorItem> items;
    items.reserve(steps.size());
    for (const auto& s : steps) items.push_back({s.after});
    const std::string plan_id = new_container_id().substr(0, 16);
    std::vector<std::int64_t> ids(steps.size(), 0);
    for (std::size_t i = 0; i < steps.size(); ++i) {
        StepRecord rec;
        rec.plan_id = plan_id;
        rec.project = project;
        rec.seq = static_cast<int>(i);
        rec.kind = scheduler::to_string(steps[i].action);
        rec.target = steps[i].container_name;
        auto id = ctx.db->add_step(rec);
        if (!id) return id.error();
        ids[i] = *id;
    }
    auto record = [&](std::size_t i, StepState st, const std::string& err) {
        (void)ctx.db->set_step_state(ids[i], st, err);
    };
    if (parallel <= 0) parallel = ctx.cfg.parallel;
    if (parallel <= 0) {
        // Steps are mostly waiting on the kernel and on child processes, not on the CPU.
        parallel = 4 * std::max(1u, std::thread::hardware_concurrency());
    }
    auto errors = scheduler::run_plan(
        items, parallel,
        [&](std::size_t i) {
            record(i, StepState::Running, "");
            auto r = run(steps[i]);
            record(i, r ? StepState::Done : StepState::Failed, r ? "" : r.error().message());
            return r;
        },
        [&](std::size_t i) {
            record(i, StepState::Failed, "skipped: a step it waits for failed");
        });
    if (errors.empty()) return {};
    std::string all;
    for (const auto& e : errors) all += (all.empty() ? "" : "\n") + e.message();
    return Error(all);
}

std::vector<scheduler::Step> forward_steps(const scheduler::Graph& graph,
                                           const std::vector<scheduler::ActualContainer>& actual,
                                           scheduler::Action action) {
    std::vector<scheduler::Step> steps;
    std::map<std::string, std::vector<std::size_t>> of_service;
    for (const auto& a : actual) {
        scheduler::Step s;
        s.action = action;
        s.service = a.service;
        s.number = a.number;
        s.container_id = a.id;
        s.container_name = a.name;
        of_service[a.service].push_back(steps.size());
        steps.push_back(std::move(s));
    }
    for (auto& s : steps) {
        for (const auto& dep : graph.dependencies(s.service)) {
            auto it = of_service.find(dep.service);
            if (it == of_service.end()) continue;
            s.after.insert(s.after.end(), it->second.begin(), it->second.end());
        }
    }
    return steps;
}

}  // namespace berth::daemon
