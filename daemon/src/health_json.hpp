// A healthcheck and a health state as Docker's inspect spells them (Config.Healthcheck,
// State.Health), which is also how the state database keeps them. Pure.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "images/image_config.hpp"
#include "scheduler/health.hpp"

namespace berth::daemon {

// {"Test":[...],"Interval":ns,"Timeout":ns,"StartPeriod":ns,"StartInterval":ns,"Retries":n}
nlohmann::json healthcheck_json(const images::Healthcheck& h);
std::optional<images::Healthcheck> parse_healthcheck_json(const std::string& text);

// {"Status":"healthy","FailingStreak":0,"Log":[{"Start":RFC3339Nano,"End":..,"ExitCode":0,
// "Output":".."}]}
nlohmann::json health_state_json(const scheduler::HealthState& s);
std::optional<scheduler::HealthState> parse_health_state_json(const std::string& text);

}  // namespace berth::daemon
